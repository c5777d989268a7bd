using Dispatch.Geography;
using Dispatch.Server.Regions;
using NetTopologySuite.Geometries;

namespace Dispatch.Tests.Regions;

/// <summary>The generated geography as PostGIS sees it: areas in m² on the WGS84 spheroid.</summary>
[Collection(PlatformCollection.Name)]
public sealed class GeometryTests(PlatformFixture platform)
{
    [Fact]
    public async Task Every_polygon_is_valid_and_every_service_point_inside_its_grid()
    {
        Assert.Equal(0L, await platform.QueryScalarAsync<long>(
            "SELECT count(*) FROM region WHERE geom IS NULL OR NOT ST_IsValid(geom) OR ST_IsEmpty(geom)"));
        Assert.Equal(0L, await platform.QueryScalarAsync<long>(
            "SELECT count(*) FROM grid WHERE NOT ST_IsValid(geom) OR NOT ST_Contains(geom, service_point)"));
    }

    [Fact]
    public async Task Each_level_unions_to_its_parent_within_one_square_metre()
    {
        const string sql = """
            WITH children AS (
                SELECT parent_code AS parent, geom FROM region WHERE parent_code IS NOT NULL
                UNION ALL SELECT village_code, geom FROM grid),
            unions AS (SELECT parent, ST_Union(geom) AS geom FROM children GROUP BY parent)
            SELECT count(*)::int, max(ST_Area(ST_SymDifference(u.geom, p.geom)::geography))
            FROM unions u JOIN region p ON p.code = u.parent
            """;
        await using var cmd = platform.Db.CreateCommand(sql);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();

        Assert.Equal(1 + 6 + 48 + 1041, reader.GetInt32(0)); // the city, districts, townships and villages as parents
        Assert.InRange(reader.GetDouble(1), 0, 1);           // worst symmetric difference, m²
    }

    [Fact]
    public async Task Siblings_do_not_overlap()
    {
        const string sql = """
            WITH siblings AS (
                SELECT code, parent_code AS parent, geom FROM region WHERE parent_code IS NOT NULL
                UNION ALL SELECT code, village_code, geom FROM grid)
            SELECT count(*) FROM siblings a JOIN siblings b
              ON a.parent = b.parent AND a.code < b.code AND a.geom && b.geom
            WHERE ST_Relate(a.geom, b.geom, '2********')
              AND ST_Area(ST_Intersection(a.geom, b.geom)::geography) >= 1
            """;
        Assert.Equal(0L, await platform.QueryScalarAsync<long>(sql));
    }

    [Fact]
    public async Task The_grids_cover_the_city_outline_within_half_a_percent()
    {
        var outline = await platform.QueryScalarAsync<double>("SELECT ST_Area(geom::geography) / 1e6 FROM region WHERE level = 'city'");
        var grids = await platform.QueryScalarAsync<double>("SELECT sum(ST_Area(geom::geography)) / 1e6 FROM grid");

        Assert.InRange(outline, 2100, 2135); // the sketch's outline is ≈ 2,117 km²
        Assert.InRange(Math.Abs(grids - outline) / outline, 0, 0.005);
    }

    [Fact]
    public async Task The_stored_geometry_is_exactly_what_generating_again_gives()
    {
        var (divisions, sketch) = SeedGeography.ReadEmbeddedData();
        var again = GeographyGenerator.Generate(divisions, sketch);
        var stored = new Dictionary<string, Geometry>();
        await using (var cmd = platform.Db.CreateCommand("SELECT code, geom FROM region UNION ALL SELECT code, geom FROM grid"))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) stored[reader.GetString(0)] = reader.GetFieldValue<Geometry>(1);

        var generated = again.Regions.Select(r => (r.Code, (Geometry)r.Shape)).Concat(again.Grids.Select(g => (g.Code, (Geometry)g.Shape))).ToList();
        Assert.Equal(stored.Count, generated.Count);
        Assert.All(generated, g => Assert.True(g.Item2.EqualsExact(stored[g.Code]), $"{g.Code} differs"));
    }
}
