using Dispatch.Server.Kpis;

namespace Dispatch.Server.Visits;

/// <param name="Level">grid, village, township or district.</param>
/// <param name="VisitedHouseholds">Distinct door numbers of household visits in the period, counted per grid (a door is one household of its grid).</param>
/// <param name="RegisteredHouseholds">The registered household counts (登记户数) of its grids.</param>
/// <param name="Rate">Visited ÷ registered, null when nothing is registered; above 1 means the register is behind the doors.</param>
public sealed record CoverageRow(string Code, string Name, string Level, long VisitedHouseholds, long RegisteredHouseholds, double? Rate);

/// <param name="Rows">Each grid of a township or village; each region one level down for a district or the city.</param>
public sealed record CoverageView(string RegionCode, string RegionName, DateOnly From, DateOnly To, CoverageRow Total, IReadOnlyList<CoverageRow> Rows);

/// <summary>
/// 走访覆盖率 of an area over a period of Beijing days (KPI scope and period): per grid — the figure
/// the worker is judged on — when the area is a township or a village (a township has about a
/// hundred grids), per child region above that, with the total. The map layer is the same rows.
/// </summary>
public static class GetCoverage
{
    /// <summary>Per grid of <c>@prefix</c>: its name, registered count and distinct households visited in [@start, @end).</summary>
    public const string GridsSql = """
        SELECT g.code, g.name, g.households::bigint AS registered,
               (SELECT count(DISTINCT household_key(v.place_key)) FROM visit v
                WHERE v.grid_code = g.code AND v.kind = 'household' AND v.visited_at >= @start AND v.visited_at < @end) AS visited
        FROM grid g WHERE starts_with(g.code, @prefix)
        """;

    /// <summary>The rows (code, name, level, visited, registered, rate) of the area; <c>@byGrid</c> chooses grids or child regions.</summary>
    public static readonly string RowsSql = $"""
        WITH g AS ({GridsSql}),
        rows AS (
            SELECT g.code, g.name, 'grid' AS level, g.visited, g.registered FROM g WHERE @byGrid
            UNION ALL
            SELECT r.code, r.name, r.level, coalesce(sum(g.visited), 0)::bigint, coalesce(sum(g.registered), 0)::bigint
            FROM region r LEFT JOIN g ON starts_with(g.code, r.code)
            WHERE NOT @byGrid AND r.parent_code = @code
            GROUP BY r.code, r.name, r.level)
        SELECT code, name, level, visited AS visited_households, registered AS registered_households,
               round(visited::numeric / nullif(registered, 0), 4)::float8 AS rate
        FROM rows
        """;

    static readonly string Sql = $"""
        {RowsSql} ORDER BY code;

        WITH g AS ({GridsSql})
        SELECT r.code, r.name, r.level, coalesce(sum(g.visited), 0)::bigint AS visited_households, coalesce(sum(g.registered), 0)::bigint AS registered_households,
               round(sum(g.visited)::numeric / nullif(sum(g.registered), 0), 4)::float8 AS rate
        FROM region r LEFT JOIN g ON true WHERE r.code = @code GROUP BY r.code, r.name, r.level
        """;

    /// <summary>The parameters of <see cref="RowsSql"/> for a scope.</summary>
    internal static object Parameters(KpiScope scope) => new
    {
        code = scope.Area.Code, prefix = scope.Area.Prefix, start = scope.Period.Start, end = scope.Period.End, byGrid = scope.Area.Code.Length >= 9,
    };

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, TimeProvider clock, string? from, string? to, string? regionCode,
        CancellationToken ct)
    {
        var (scope, problem) = KpiScope.Of(http, clock, from, to, regionCode);
        if (scope is null) return problem!;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var results = await conn.QueryMultipleAsync(new CommandDefinition(Sql, Parameters(scope), cancellationToken: ct));
        var rows = (await results.ReadAsync<CoverageRow>()).AsList();
        var total = await results.ReadSingleOrDefaultAsync<CoverageRow>();
        if (total is null) return Problems.NotFound($"没有代码为 {scope.Area.Code} 的区域。");
        return TypedResults.Ok(new CoverageView(scope.Area.Code, total.Name, scope.Period.From, scope.Period.To, total, rows));
    }
}
