using System.Net;
using System.Text;

namespace Dispatch.Tests.Tiles;

[Collection(PlatformCollection.Name)]
public sealed class TilesTests(PlatformFixture platform)
{
    // The z12 tile holding 淇滨区's centre (114.297, 35.748).
    static (int X, int Y) TileAt(double lon, double lat, int z)
    {
        var n = 1 << z;
        var rad = lat * Math.PI / 180;
        return ((int)((lon + 180) / 360 * n), (int)((1 - Math.Log(Math.Tan(rad) + 1 / Math.Cos(rad)) / Math.PI) / 2 * n));
    }

    [Theory]
    [InlineData("regions", 7, "regions")]
    [InlineData("regions", 12, "region-labels")]
    [InlineData("grids", 12, "grids")]
    [InlineData("service-points", 12, "service-points")]
    public async Task A_tile_over_the_city_holds_its_layer(string layer, int z, string mvtLayer)
    {
        var (x, y) = TileAt(114.297, 35.748, z);
        var response = await platform.Http.GetAsync($"/tiles/{layer}/{z}/{x}/{y}.mvt");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.mapbox-vector-tile", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Contains(mvtLayer, Encoding.UTF8.GetString(bytes)); // MVT layer names are plain UTF-8 in the protobuf
    }

    [Fact]
    public async Task Grids_are_not_cut_at_city_scale()
    {
        var bytes = await platform.Http.GetByteArrayAsync("/tiles/grids/5/26/12.mvt");
        Assert.Empty(bytes);
    }

    [Theory]
    [InlineData("/tiles/roads/1/0/0.mvt", HttpStatusCode.NotFound)]
    [InlineData("/tiles/grids/3/8/0.mvt", HttpStatusCode.BadRequest)]
    public async Task Unknown_layers_and_tiles_outside_the_pyramid_are_refused(string path, HttpStatusCode status)
    {
        Assert.Equal(status, (await platform.Http.GetAsync(path)).StatusCode);
    }
}
