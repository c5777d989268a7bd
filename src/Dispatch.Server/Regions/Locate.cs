using Dispatch.Server.Database;

namespace Dispatch.Server.Regions;

/// <summary>Which grid, village, township and district a point lies in (tie rule: see <see cref="GridLocator"/>).</summary>
public static class Locate
{
    public static IResult Handle(string? lon, string? lat, GridLocator locator, StartupState state)
    {
        var errors = new Dictionary<string, string[]>();
        var x = Coordinates.Parse(lon, "lon", -180, 180, errors);
        var y = Coordinates.Parse(lat, "lat", -90, 90, errors);
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (!state.IsReady) return Problems.Unavailable("网格索引正在加载，请稍后再试。");
        return locator.Locate(x, y) is { } place
            ? TypedResults.Ok(place)
            : Problems.Unprocessable($"位置 ({x}, {y}) 不在鹤壁市范围内。", "lon");
    }
}
