using System.Globalization;

namespace Dispatch.Server.FollowUps;

/// <param name="Answered">Follow-ups recorded in the period, 联系不上 included.</param>
/// <param name="Rate">(满意 + 基本满意) ÷ (recorded − 联系不上); null when nobody was reached.</param>
public sealed record RateRow(string Code, string Name, string Level, long Answered, long Satisfied, long Basic, long Unsatisfied, long Unreachable,
    double? Rate);

/// <param name="From">First Beijing date counted.</param>
/// <param name="To">Last Beijing date counted (inclusive).</param>
/// <param name="Total">The whole region.</param>
/// <param name="Regions">The region one level down (the city's districts, a district's townships, a township's villages, a village's grids).</param>
/// <param name="Centres">The centres that closed the cases, those with a follow-up recorded in the period.</param>
public sealed record RatesView(string RegionCode, DateOnly From, DateOnly To, RateRow Total, IReadOnlyList<RateRow> Regions, IReadOnlyList<RateRow> Centres);

/// <summary>
/// Satisfaction rates over the follow-ups recorded (done_at) in a span of Beijing dates, for the
/// cases located in a region of the caller's area: the region, its children by place, and the
/// centres that closed them.
/// </summary>
public static class GetRates
{
    const string Counts = """
        count(f.id) AS answered,
        count(f.id) FILTER (WHERE f.result = 'satisfied') AS satisfied,
        count(f.id) FILTER (WHERE f.result = 'basic') AS basic,
        count(f.id) FILTER (WHERE f.result = 'unsatisfied') AS unsatisfied,
        count(f.id) FILTER (WHERE f.result = 'unreachable') AS unreachable,
        (count(f.id) FILTER (WHERE f.result IN ('satisfied', 'basic')))::float8 / nullif(count(f.id) FILTER (WHERE f.result <> 'unreachable'), 0) AS rate
        """;

    // Three result sets: the region, its children, the centres. Follow-ups are matched to a place by
    // the case's grid-code prefix (codes nest), as every other count of an area is.
    static readonly string Sql = $"""
        WITH done AS (
            SELECT f.id, f.result, f.centre_code, i.grid_code
            FROM follow_up f JOIN incident i ON i.id = f.incident_id
            WHERE f.status = 'done' AND f.done_at >= @since AND f.done_at < @until AND {CurrentUser.CoversSql("@region", "i.grid_code")}
        )
        SELECT r.code, r.name, r.level, {Counts}
        FROM region r LEFT JOIN done f ON true WHERE r.code = @region
        GROUP BY r.code, r.name, r.level;

        WITH done AS (
            SELECT f.id, f.result, i.grid_code
            FROM follow_up f JOIN incident i ON i.id = f.incident_id
            WHERE f.status = 'done' AND f.done_at >= @since AND f.done_at < @until AND {CurrentUser.CoversSql("@region", "i.grid_code")}
        ), children AS (
            SELECT code, name, level FROM region WHERE parent_code = @region
            UNION ALL
            SELECT code, name, 'grid' FROM grid WHERE village_code = @region
        )
        SELECT ch.code, ch.name, ch.level, {Counts}
        FROM children ch LEFT JOIN done f ON starts_with(f.grid_code, ch.code)
        GROUP BY ch.code, ch.name, ch.level
        ORDER BY ch.code;

        SELECT r.code, r.name, r.level, {Counts}
        FROM follow_up f JOIN incident i ON i.id = f.incident_id JOIN region r ON r.code = f.centre_code
        WHERE f.status = 'done' AND f.done_at >= @since AND f.done_at < @until AND {CurrentUser.CoversSql("@region", "i.grid_code")}
        GROUP BY r.code, r.name, r.level
        ORDER BY r.code
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, TimeProvider clock, string? from, string? to, string? regionCode,
        CancellationToken ct)
    {
        var caller = http.Caller();
        var today = DateOnly.FromDateTime(Clock.Local(clock.GetUtcNow()).DateTime);
        var errors = new Dictionary<string, string[]>();
        if (!TryDate(to, today, out var last)) errors["to"] = ["to 应为 yyyy-MM-dd 格式的日期。"];
        // Without from, the 30 days that end with to (an unreadable to stands in as today, so that from is still checked).
        if (!TryDate(from, (errors.Count > 0 ? today : last).AddDays(-29), out var first)) errors["from"] = ["from 应为 yyyy-MM-dd 格式的日期。"];
        if (regionCode is not null && !System.Text.RegularExpressions.Regex.IsMatch(regionCode, "^[0-9]{6,15}$"))
            errors["regionCode"] = ["regionCode 应为 6 到 15 位区划代码。"];
        if (errors.Count == 0 && first > last) errors["from"] = ["from 不能晚于 to。"];
        else if (errors.Count == 0 && last.DayNumber - first.DayNumber + 1 > 366) errors["from"] = ["统计区间不能超过 366 天。"];
        if (errors.Count > 0) return Problems.Invalid(errors);
        var region = regionCode ?? caller.RegionCode;
        if (!caller.Covers(region)) return Problems.NotFound($"区域 {region} 不在您的辖区内。");

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var results = await conn.QueryMultipleAsync(new CommandDefinition(Sql, new
        {
            region, since = Midnight(first), until = Midnight(last.AddDays(1)),
        }, cancellationToken: ct));
        var total = await results.ReadSingleOrDefaultAsync<RateRow>();
        if (total is null) return Problems.NotFound($"没有区域 {region}。");
        var regions = (await results.ReadAsync<RateRow>()).AsList();
        var centres = (await results.ReadAsync<RateRow>()).AsList();
        return TypedResults.Ok(new RatesView(region, first, last, total, regions, centres));
    }

    static bool TryDate(string? text, DateOnly fallback, out DateOnly date)
    {
        if (text is null) { date = fallback; return true; }
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
               && date.Year is >= 2000 and <= 9000;
    }

    static DateTimeOffset Midnight(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Clock.Beijing).ToUniversalTime();
}
