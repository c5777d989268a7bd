
namespace Dispatch.Server.Duty;

public sealed record ShiftView(long Id, long StaffId, string StaffCode, string StaffName, string Kind, string GridCode,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, string CreatedBy);

/// <summary>The roster of the caller's area: shifts overlapping [from, to) — by default from yesterday to a week ahead.</summary>
public static class ListShifts
{
    public const int MaxRows = 5000;

    internal const string Columns = """
        d.id, d.staff_id, s.code AS staff_code, s.name AS staff_name, s.kind, s.grid_code, d.starts_at, d.ends_at, d.created_by
        """;

    static readonly string Sql = $"""
        SELECT {Columns}
        FROM duty_shift d JOIN staff s ON s.id = d.staff_id
        WHERE {CurrentUser.CoversSql("@region", "s.grid_code")} AND d.ends_at > @from AND d.starts_at < @to
          AND (@staffCode::text IS NULL OR s.code = @staffCode)
        ORDER BY d.starts_at, s.code LIMIT {MaxRows}
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, TimeProvider clock, string? staffCode,
        DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        if (staffCode is { Length: > 64 }) return Problems.Invalid("staffCode", "staffCode 过长。");
        var now = clock.GetUtcNow();
        var (start, end) = (from ?? now.AddDays(-1), to ?? now.AddDays(7));
        if (end <= start) return Problems.Invalid("to", "to 应晚于 from。");
        if (end - start > TimeSpan.FromDays(92)) return Problems.Invalid("to", "一次最多查询 92 天的排班。");

        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ShiftView>(new CommandDefinition(Sql, new
        {
            region = http.Caller().RegionCode, from = start.ToUniversalTime(), to = end.ToUniversalTime(), staffCode,
        }, cancellationToken: ct));
        return TypedResults.Ok(rows.Select(Local).ToList());
    }

    internal static ShiftView Local(ShiftView s) => s with { StartsAt = Clock.Local(s.StartsAt), EndsAt = Clock.Local(s.EndsAt) };
}
