using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Regions;

namespace Dispatch.Tests.Regions;

[Collection(PlatformCollection.Name)]
public sealed class RegionsApiTests(PlatformFixture platform)
{
    [Fact]
    public async Task The_city_lists_its_six_districts()
    {
        var city = await platform.Http.GetFromJsonAsync<RegionView>("/api/regions/410600", TestKit.Web);

        Assert.Equal(("鹤壁市", "city", null), (city!.Name, city.Level, city.ParentCode));
        Assert.Equal(["410602", "410603", "410611", "410621", "410622", "410671"], city.Children.Select(c => c.Code));
        Assert.All(city.Children, c => Assert.Equal("district", c.Level));
        Assert.Contains(city.Children, c => c is { Code: "410611", Name: "淇滨区" });
    }

    [Fact]
    public async Task The_tree_holds_exactly_the_divisions_of_the_csv_and_4122_grids()
    {
        var (divisions, _) = SeedGeography.ReadEmbeddedData();
        var expected = divisions.Select(d => $"{d.Level.ToString().ToLowerInvariant()}|{d.Code}|{d.Name}|{d.ParentCode}").Order();
        var stored = new List<string>();
        await using (var cmd = platform.Db.CreateCommand("SELECT level || '|' || code || '|' || name || '|' || coalesce(parent_code, '') FROM region"))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) stored.Add(reader.GetString(0));

        Assert.Equal(expected, stored.Order());
        Assert.Equal(48, divisions.Count(d => d.Level == Dispatch.Geography.RegionLevel.Township));
        Assert.Equal(1041, divisions.Count(d => d.Level == Dispatch.Geography.RegionLevel.Village));
        Assert.Equal(4122L, await platform.QueryScalarAsync<long>("SELECT count(*) FROM grid"));
        Assert.Equal(0L, await platform.QueryScalarAsync<long>(
            "SELECT count(*) FROM region v WHERE level = 'village' AND NOT EXISTS (SELECT 1 FROM grid g WHERE g.village_code = v.code)"));
    }

    [Fact]
    public async Task A_village_lists_its_grids_and_a_grid_names_its_village()
    {
        var gridCode = await platform.QueryScalarAsync<string>("SELECT min(code) FROM grid");
        var grid = await platform.Http.GetFromJsonAsync<RegionView>($"/api/regions/{gridCode}", TestKit.Web);
        Assert.Equal(("grid", gridCode[..12]), (grid!.Level, grid.ParentCode));
        Assert.Empty(grid.Children);
        Assert.Matches("第[0-9]+网格$", grid.Name);

        var village = await platform.Http.GetFromJsonAsync<RegionView>($"/api/regions/{gridCode[..12]}", TestKit.Web);
        Assert.Equal("village", village!.Level);
        Assert.Contains(village.Children, c => c.Code == gridCode && c.Level == "grid");
    }

    [Fact]
    public async Task An_unknown_code_is_a_404_problem_in_chinese()
    {
        var response = await platform.Http.GetAsync("/api/regions/999999");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("未找到", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Grids_within_a_bbox_are_geojson_features_with_their_ancestors()
    {
        var all = await platform.Http.GetFromJsonAsync<JsonElement>("/api/grids");
        var some = await platform.Http.GetFromJsonAsync<JsonElement>("/api/grids?bbox=114.25,35.70,114.30,35.75");

        Assert.Equal(4122, all.GetProperty("features").GetArrayLength());
        var features = some.GetProperty("features");
        Assert.InRange(features.GetArrayLength(), 1, 4121);
        var first = features[0];
        Assert.Equal("MultiPolygon", first.GetProperty("geometry").GetProperty("type").GetString());
        var code = first.GetProperty("properties").GetProperty("code").GetString()!;
        Assert.Equal(code[..12], first.GetProperty("properties").GetProperty("villageCode").GetString());
        Assert.Equal(code[..9], first.GetProperty("properties").GetProperty("townshipCode").GetString());
        Assert.Equal(code[..6], first.GetProperty("properties").GetProperty("districtCode").GetString());
    }

    [Theory]
    [InlineData("114.3,35.7,114.2")]
    [InlineData("a,b,c,d")]
    [InlineData("114.3,35.7,114.2,35.8")]
    public async Task A_malformed_bbox_is_a_400_naming_the_field(string bbox)
    {
        var response = await platform.Http.GetAsync($"/api/grids?bbox={bbox}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("bbox", out _));
    }

    [Fact]
    public async Task Every_grid_has_one_service_point()
    {
        var points = await platform.Http.GetFromJsonAsync<JsonElement>("/api/service-points");
        var features = points.GetProperty("features");
        Assert.Equal(4122, features.GetArrayLength());
        Assert.Equal(4122, features.EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("gridCode").GetString()).Distinct().Count());
        Assert.Equal("Point", features[0].GetProperty("geometry").GetProperty("type").GetString());
    }
}
