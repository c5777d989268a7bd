using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Regions;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Regions;

/// <summary>
/// The in-process locator against PostGIS on the same points, under the tie rule both follow:
/// the lowest code among the grids whose closed polygon covers the point.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class LocateTests(PlatformFixture platform)
{
    const string PostgisRule = """
        SELECT p.i, g.code
        FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(lon, lat, i)
        LEFT JOIN LATERAL (
            SELECT code FROM grid WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))
            ORDER BY code LIMIT 1) g ON true
        ORDER BY p.i
        """;

    [Fact]
    public async Task Agrees_with_postgis_on_10000_points_including_shared_edges_and_vertices()
    {
        var points = new List<(double Lon, double Lat)>();
        // Shared vertices and the midpoints of shared edges, where the tie rule decides.
        await using (var cmd = platform.Db.CreateCommand("""
            WITH segments AS (SELECT ST_StartPoint(s.geom) AS a, ST_EndPoint(s.geom) AS b
                              FROM grid, ST_DumpSegments(grid.geom) s)
            (SELECT ST_X(a), ST_Y(a) FROM segments ORDER BY md5(ST_AsText(a)) LIMIT 1000)
            UNION ALL
            (SELECT (ST_X(a) + ST_X(b)) / 2, (ST_Y(a) + ST_Y(b)) / 2 FROM segments ORDER BY md5(ST_AsText(b)) LIMIT 1000)
            """))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) points.Add((reader.GetDouble(0), reader.GetDouble(1)));
        var random = new Random(20261128);
        while (points.Count < 10_000) // the city's bbox: most points inside, some outside
            points.Add((114.00 + random.NextDouble() * 0.75, 35.44 + random.NextDouble() * 0.61));

        var expected = await LocateInPostgisAsync(points);
        var locator = platform.Services.GetRequiredService<GridLocator>();
        var disagreements = points.Select((p, i) => (p, Ours: locator.Locate(p.Lon, p.Lat)?.GridCode, Theirs: expected[i]))
            .Where(x => x.Ours != x.Theirs).ToList();

        Assert.True(disagreements.Count == 0, $"{disagreements.Count} disagreements, e.g. {string.Join("; ", disagreements.Take(5))}");
        Assert.InRange(expected.Count(e => e is null), 100, 5000); // the bbox reaches well outside the city
    }

    [Fact]
    public async Task The_endpoint_gives_the_grid_and_its_ancestors()
    {
        var (lon, lat) = (114.297, 35.748);
        var expected = (await LocateInPostgisAsync([(lon, lat)]))[0]!;

        var place = await platform.Http.GetFromJsonAsync<GridPlace>($"/api/locate?lon={lon}&lat={lat}", TestKit.Web);

        Assert.Equal(new GridPlace(expected, expected[..12], expected[..9], expected[..6]), place);
    }

    [Fact]
    public async Task A_point_outside_the_city_is_422()
    {
        var response = await platform.Http.GetAsync("/api/locate?lon=116.4&lat=39.9");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("lat=35.7", "lon")]
    [InlineData("lon=abc&lat=35.7", "lon")]
    [InlineData("lon=114.3&lat=95", "lat")]
    public async Task Bad_coordinates_are_400_naming_the_field(string query, string field)
    {
        var response = await platform.Http.GetAsync($"/api/locate?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    async Task<string?[]> LocateInPostgisAsync(IReadOnlyList<(double Lon, double Lat)> points)
    {
        await using var cmd = platform.Db.CreateCommand(PostgisRule);
        cmd.Parameters.Add(new() { Value = points.Select(p => p.Lon).ToArray() });
        cmd.Parameters.Add(new() { Value = points.Select(p => p.Lat).ToArray() });
        var codes = new string?[points.Count];
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) codes[reader.GetInt64(0) - 1] = reader.IsDBNull(1) ? null : reader.GetString(1);
        return codes;
    }
}
