
namespace Dispatch.Server.Duty;

public sealed record NewShift(string? StaffCode, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt);
public sealed record NewShifts(IReadOnlyList<NewShift>? Shifts);

/// <summary>
/// Adds shifts to the roster — a day's or a month's at once, as a centre plans them. Every row is
/// checked (the person exists and works in the caller's area; a shift of at most 24 hours; no
/// overlap with another of theirs, on the roster or in the same request) and every bad row is
/// named in the answer; nothing is written unless all are good.
/// </summary>
public static class AddShifts
{
    public const int MaxShifts = 1000;

    sealed record Person(long Id, string Code, string GridCode);

    static readonly string Overlaps = """
        SELECT d.staff_id FROM duty_shift d
        WHERE d.staff_id = @staff AND d.starts_at < @ends AND d.ends_at > @starts LIMIT 1
        """;

    static readonly string Insert = $"""
        WITH added AS (
            INSERT INTO duty_shift (staff_id, starts_at, ends_at, created_by)
            SELECT * FROM unnest(@staff, @starts, @ends, @by) RETURNING *)
        SELECT {ListShifts.Columns} FROM added d JOIN staff s ON s.id = d.staff_id ORDER BY d.starts_at, s.code
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<NewShifts>(http, ct);
        if (malformed is not null) return malformed;
        if (body?.Shifts is not { Count: > 0 } shifts) return Problems.Invalid("shifts", "shifts 应为至少一个班次的列表。");
        if (shifts.Count > MaxShifts) return Problems.Invalid("shifts", $"一次最多添加 {MaxShifts} 个班次。");

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var codes = shifts.Select(s => s.StaffCode).OfType<string>().Where(c => c.Length <= 64).Distinct().ToArray();
        var people = (await conn.QueryAsync<Person>(new CommandDefinition(
                "SELECT id, code, grid_code FROM staff WHERE code = ANY (@codes) FOR UPDATE", new { codes }, tx, cancellationToken: ct)))
            .ToDictionary(p => p.Code);

        var errors = new Dictionary<string, string[]>();
        var good = new List<(Person Who, DateTimeOffset Starts, DateTimeOffset Ends)>();
        for (var i = 0; i < shifts.Count; i++)
        {
            var (shift, at) = (shifts[i], $"shifts[{i}]");
            if (shift.StaffCode is not { } code || !people.TryGetValue(code, out var who) || !caller.Covers(who.GridCode))
                errors[$"{at}.staffCode"] = [$"没有编码为 {shift.StaffCode} 的人员，或其不在您的辖区内。"];
            else if (shift.StartsAt is not { } starts || shift.EndsAt is not { } ends)
                errors[at] = ["startsAt 和 endsAt 都应为带时区的时间，如 2026-12-08T08:00:00+08:00。"];
            else if (ends <= starts || ends - starts > TimeSpan.FromHours(24))
                errors[$"{at}.endsAt"] = ["班次应晚于开始时间结束，且不超过 24 小时。"];
            else if (good.Any(g => g.Who.Id == who.Id && g.Starts < ends && g.Ends > starts))
                errors[at] = [$"与本次提交中 {code} 的另一班次重叠。"];
            else if (await conn.ExecuteScalarAsync<long?>(new CommandDefinition(Overlaps, new { staff = who.Id, starts, ends }, tx, cancellationToken: ct)) is not null)
                errors[at] = [$"与排班表中 {code} 已有的班次重叠。"];
            else good.Add((who, starts, ends));
        }
        if (errors.Count > 0) return Problems.Invalid(errors);

        var added = await conn.QueryAsync<ShiftView>(new CommandDefinition(Insert, new
        {
            staff = good.Select(g => g.Who.Id).ToArray(), starts = good.Select(g => g.Starts.ToUniversalTime()).ToArray(),
            ends = good.Select(g => g.Ends.ToUniversalTime()).ToArray(), by = good.Select(_ => caller.Username).ToArray(),
        }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return TypedResults.Created("/api/duty/shifts", added.Select(ListShifts.Local).ToList());
    }
}
