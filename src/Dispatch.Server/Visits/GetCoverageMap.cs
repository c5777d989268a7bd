using Dispatch.Server.Kpis;

namespace Dispatch.Server.Visits;

/// <summary>
/// The coverage map layer: <see cref="GetCoverage"/>'s rows as GeoJSON polygons (the grids of a
/// township or village, the child regions above), each with its figures, for the map to colour —
/// the list's own query wrapped in features by PostGIS, so map and list cannot disagree.
/// </summary>
public static class GetCoverageMap
{
    static readonly string Sql = $"""
        WITH c AS ({GetCoverage.RowsSql})
        SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
            'type', 'Feature', 'id', c.code, 'geometry', ST_AsGeoJSON(coalesce(g.geom, r.geom), 6)::json,
            'properties', json_build_object('code', c.code, 'name', c.name, 'level', c.level, 'visitedHouseholds', c.visited_households,
                'registeredHouseholds', c.registered_households, 'rate', c.rate))
            ORDER BY c.code), '[]'))::text
        FROM c LEFT JOIN grid g ON c.level = 'grid' AND g.code = c.code LEFT JOIN region r ON c.level <> 'grid' AND r.code = c.code
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, TimeProvider clock, string? from, string? to, string? regionCode,
        CancellationToken ct)
    {
        var (scope, problem) = KpiScope.Of(http, clock, from, to, regionCode);
        if (scope is null) return problem!;
        await using var conn = await db.OpenConnectionAsync(ct);
        if (!await conn.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM region WHERE code = @code)",
                new { code = scope.Area.Code }, cancellationToken: ct)))
            return Problems.NotFound($"没有代码为 {scope.Area.Code} 的区域。");
        var json = await conn.ExecuteScalarAsync<string>(new CommandDefinition(Sql, GetCoverage.Parameters(scope), cancellationToken: ct));
        return TypedResults.Text(json!, "application/geo+json");
    }
}
