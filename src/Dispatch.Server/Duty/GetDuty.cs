
namespace Dispatch.Server.Duty;

/// <param name="Source">What decides: <c>switch</c> (the phone), <c>roster</c> (a shift or its absence) or <c>default</c> (no roster: on unless switched off).</param>
public sealed record DutyState(long StaffId, string Code, string Name, string Kind, string GridCode, string Status, bool OnDuty,
    string Source, DateTimeOffset? ShiftEndsAt);

public sealed record DutyCount(string Kind, int OnDuty, int OffDuty);

/// <param name="Staff">Those on duty (or everyone with <c>all=true</c>), nearest grid code first; at most <see cref="GetDuty.MaxRows"/>.</param>
public sealed record DutyBoard(DateTimeOffset At, string RegionCode, IReadOnlyList<DutyCount> Counts, IReadOnlyList<DutyState> Staff, bool Truncated);

/// <summary>Who is on duty in the caller's area (or a region inside it) right now, and how many of each kind are on and off.</summary>
public static class GetDuty
{
    public const int MaxRows = 2000;

    const string Sql = """
        SELECT s.id AS staff_id, s.code, s.name, s.kind, s.grid_code, s.status, d.on_duty, d.source, d.shift_ends_at
        FROM staff s CROSS JOIN LATERAL duty_of(s, @now) d
        WHERE starts_with(s.grid_code, @prefix)
        ORDER BY s.grid_code, s.kind, s.code
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, TimeProvider clock, string? regionCode, bool? all,
        CancellationToken ct)
    {
        var caller = http.Caller();
        if (regionCode is not null && !System.Text.RegularExpressions.Regex.IsMatch(regionCode, "^[0-9]{6,15}$"))
            return Problems.Invalid("regionCode", "regionCode 应为 6 到 15 位区划代码。");
        var region = regionCode ?? caller.RegionCode;
        if (!caller.Covers(region) && region != caller.RegionCode) return Problems.Forbidden("该区域不在您的辖区内。");
        var prefix = region == CurrentUser.CityCode ? "" : region;
        var now = clock.GetUtcNow();

        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<DutyState>(new CommandDefinition(Sql, new { now, prefix }, cancellationToken: ct))).ToList();
        var counts = rows.GroupBy(r => r.Kind).OrderBy(g => g.Key)
            .Select(g => new DutyCount(g.Key, g.Count(r => r.OnDuty), g.Count(r => !r.OnDuty))).ToList();
        var shown = rows.Where(r => all == true || r.OnDuty).ToList();
        return TypedResults.Ok(new DutyBoard(Clock.Local(now), region, counts,
            [.. shown.Take(MaxRows).Select(r => r with { ShiftEndsAt = Clock.Local(r.ShiftEndsAt) })], shown.Count > MaxRows));
    }
}
