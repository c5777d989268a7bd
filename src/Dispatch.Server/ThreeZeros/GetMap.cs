using Dispatch.EarlyWarning.Patterns;

namespace Dispatch.Server.ThreeZeros;

/// <summary>
/// The map layer: the region's village polygons as GeoJSON, each with its standing (<c>zero</c>)
/// and figures, for the map to colour — the board's own query, wrapped in features by PostGIS, so
/// the colours and the table can never disagree. Geometry as <c>/api/grids</c> serves it.
/// </summary>
public static class GetMap
{
    static readonly string Sql = $"""
        WITH board AS ({GetBoard.Sql})
        SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
            'type', 'Feature', 'id', b.code, 'geometry', ST_AsGeoJSON(r.geom, 6)::json,
            'properties', json_build_object('code', b.code, 'name', b.name, 'zero', b.zero, 'petitions', b.petitions,
                'majorAccidents', b.majoraccidents, 'criminalCases', b.criminalcases, 'rank', b.rank))
            ORDER BY b.code), '[]'))::text
        FROM board b JOIN region r ON r.code = b.code
        """;

    public static async Task<IResult> Handle(HttpContext http, string? period, string? at, string? regionCode, NpgsqlDataSource db,
        ThreeZeroMajor major, TimeProvider clock, CancellationToken ct)
    {
        var (p, bad) = ThreeZeroSql.ParsePeriod(period, at, clock);
        if (bad is not null) return bad;
        await using var conn = await db.OpenConnectionAsync(ct);
        var (region, refused) = await ThreeZeroSql.RegionAsync(conn, http.Caller(), regionCode, ct);
        if (refused is not null) return refused;
        var json = await conn.ExecuteScalarAsync<string>(new CommandDefinition(Sql, GetBoard.Parameters(region!, p!, major), cancellationToken: ct));
        return TypedResults.Text(json!, "application/geo+json");
    }
}
