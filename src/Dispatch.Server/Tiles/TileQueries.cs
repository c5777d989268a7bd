namespace Dispatch.Server.Tiles;

/// <summary>
/// One SQL query per tile layer. Parameters: @z, @x, @y, @levels the region levels drawn at z
/// (what a map shows at each zoom is decided here, so small tiles stay small).
/// </summary>
public sealed record TileQuery(string Sql, Func<int, string[]> LevelsAt)
{
    static readonly string[] None = [];

    public static readonly IReadOnlyDictionary<string, TileQuery> ByLayer = new Dictionary<string, TileQuery>
    {
        ["regions"] = new("""
            WITH b AS (SELECT ST_TileEnvelope(@z, @x, @y) AS env),
            shapes AS (
                SELECT r.code, r.name, r.level, ST_AsMVTGeom(r.geom_3857, b.env, 4096, 64, true) AS geom
                FROM region r, b WHERE r.level = ANY (@levels) AND r.geom_3857 && b.env),
            labels AS (
                SELECT r.code, r.name, r.level, ST_AsMVTGeom(ST_Transform(r.label_point, 3857), b.env, 4096, 0, true) AS geom
                FROM region r, b WHERE r.level = ANY (@levels) AND r.label_point && ST_Transform(b.env, 4326))
            SELECT coalesce((SELECT ST_AsMVT(shapes, 'regions', 4096, 'geom') FROM shapes WHERE geom IS NOT NULL), '')
                || coalesce((SELECT ST_AsMVT(labels, 'region-labels', 4096, 'geom') FROM labels WHERE geom IS NOT NULL), '')
            """, z => z switch { < 8 => ["district"], < 10 => ["district", "township"], _ => ["district", "township", "village"] }),

        ["grids"] = new("""
            WITH b AS (SELECT ST_TileEnvelope(@z, @x, @y) AS env),
            shapes AS (
                SELECT g.code, g.name, g.village_code AS "villageCode", g.township_code AS "townshipCode",
                       g.district_code AS "districtCode", ST_AsMVTGeom(g.geom_3857, b.env, 4096, 64, true) AS geom
                FROM grid_place g, b WHERE cardinality(@levels) > 0 AND g.geom_3857 && b.env)
            SELECT ST_AsMVT(shapes, 'grids', 4096, 'geom') FROM shapes WHERE geom IS NOT NULL
            """, z => z >= 10 ? ["grid"] : None),

        ["service-points"] = new("""
            WITH b AS (SELECT ST_TileEnvelope(@z, @x, @y) AS env),
            points AS (
                SELECT g.code AS "gridCode", g.name || '服务点' AS name,
                       ST_AsMVTGeom(ST_Transform(g.service_point, 3857), b.env, 4096, 0, true) AS geom
                FROM grid g, b WHERE cardinality(@levels) > 0 AND g.service_point && ST_Transform(b.env, 4326))
            SELECT ST_AsMVT(points, 'service-points', 4096, 'geom') FROM points WHERE geom IS NOT NULL
            """, z => z >= 10 ? ["grid"] : None),
    };
}
