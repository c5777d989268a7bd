using System.Text.Json;
using NetTopologySuite.Geometries;

namespace Dispatch.Geography;

/// <summary>Where a district lies (a point well inside it) and its reported area, if any.</summary>
public sealed record DistrictSketch(string Code, string Name, Coordinate Seed, double? AreaKm2);

/// <summary>
/// The coarse sketch (about 1 km) the demonstration geography is generated from (<c>db/geography.json</c>):
/// the city outline in lon/lat degrees, the reported city area, one seed per district and the number of
/// grid service points to generate.
/// </summary>
public sealed record GeographySketch(
    Polygon CityOutline, double CityAreaKm2, IReadOnlyList<DistrictSketch> Districts, int GridServicePoints)
{
    public static GeographySketch Read(Stream json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var ring = root.GetProperty("city_outline").EnumerateArray().Select(ReadCoordinate).ToList();
        if (!ring[0].Equals2D(ring[^1])) ring.Add(ring[0].Copy());
        var outline = Geo.Factory.CreatePolygon([.. ring]);
        var districts = root.GetProperty("districts").EnumerateArray().Select(d => new DistrictSketch(
            d.GetProperty("code").GetString()!,
            d.GetProperty("name").GetString()!,
            ReadCoordinate(d.GetProperty("seed")),
            d.TryGetProperty("area_km2", out var area) && area.ValueKind == JsonValueKind.Number ? area.GetDouble() : null))
            .ToList();
        return new GeographySketch(
            outline, root.GetProperty("city_area_km2").GetDouble(), districts, root.GetProperty("grid_service_points").GetInt32());
    }

    static Coordinate ReadCoordinate(JsonElement lonLat) => new(lonLat[0].GetDouble(), lonLat[1].GetDouble());
}
