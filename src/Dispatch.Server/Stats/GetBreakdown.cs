namespace Dispatch.Server.Stats;

public sealed record CategoryCount(string Code, string Name, string NameEn, long Reported);
public sealed record RegionCount(string Code, string Name, string Level, long Reported, long Open, long Overdue);

/// <param name="Since">Start of the period counted: Beijing midnight, <c>days</c> − 1 days ago.</param>
/// <param name="Categories">Reports in the period by top-level category, most first; categories with none included.</param>
/// <param name="Regions">The caller's region one level down (the city's districts, a district's townships, …), with reports
/// in the period and the open and overdue incidents now.</param>
public sealed record BreakdownView(string RegionCode, DateTimeOffset AsOf, DateTimeOffset Since, IReadOnlyList<CategoryCount> Categories,
    IReadOnlyList<RegionCount> Regions);

/// <summary>Where and what: the category and district (or next level down) breakdowns of the caller's region.</summary>
public static class GetBreakdown
{
    // Two result sets: the categories, then the children of the caller's region (a village's
    // children are its grids). Incidents are matched to a child by code prefix (codes nest), which
    // the incident indexes on region codes serve. Columns are named as the records' parameters,
    // which Dapper matches by name and order.
    static readonly string Sql = $"""
        SELECT top.code, top.name, top.name_en AS nameen, count(i.id) AS reported
        FROM category top
        LEFT JOIN category c ON coalesce(c.parent_code, c.code) = top.code
        LEFT JOIN incident i ON i.category_code = c.code AND i.created_at >= @since AND {CurrentUser.CoversSql("@region", "i.grid_code")}
        WHERE top.parent_code IS NULL
        GROUP BY top.code, top.name, top.name_en
        ORDER BY count(i.id) DESC, top.code;

        WITH children AS (
            SELECT code, name, level FROM region WHERE parent_code = @region
            UNION ALL
            SELECT code, name, 'grid' FROM grid WHERE village_code = @region
        )
        SELECT ch.code, ch.name, ch.level,
               count(i.id) FILTER (WHERE i.created_at >= @since) AS reported,
               count(i.id) FILTER (WHERE i.status IN {StatsApi.OpenStatuses}) AS open,
               count(i.id) FILTER (WHERE {Supervision.Overdue.Sql()}) AS overdue
        FROM children ch
        LEFT JOIN incident i ON starts_with(i.grid_code, ch.code) AND (i.created_at >= @since OR i.status IN {StatsApi.OpenStatuses})
        GROUP BY ch.code, ch.name, ch.level
        ORDER BY ch.code
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, TimeProvider clock, int? days, CancellationToken ct)
    {
        if (days is < 1 or > 90) return Problems.Invalid("days", "days 应在 1 到 90 之间。");
        var region = http.Caller().RegionCode;
        var now = clock.GetUtcNow();
        var since = StatsApi.BeijingMidnight(now).AddDays(1 - (days ?? 7));
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var results = await conn.QueryMultipleAsync(new CommandDefinition(Sql,
            new { region, since = since.ToUniversalTime(), now }, cancellationToken: ct));
        var categories = (await results.ReadAsync<CategoryCount>()).AsList();
        var regions = (await results.ReadAsync<RegionCount>()).AsList();
        return TypedResults.Ok(new BreakdownView(region, Clock.Local(now), Clock.Local(since), categories, regions));
    }
}
