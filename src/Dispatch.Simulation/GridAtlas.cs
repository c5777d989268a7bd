using System.Text.Json;
using MathNet.Numerics.Distributions;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.IO.Converters;

namespace Dispatch.Simulation;

public sealed record SimGrid(string Code, string Name, string DistrictCode, Geometry Shape)
{
    readonly Lazy<IPreparedGeometry> _prepared = new(() => PreparedGeometryFactory.Prepare(Shape));
    public bool Covers(Point p) => _prepared.Value.Covers(p);
}

/// <summary>
/// The city's 4,122 grids as the API serves them (<c>GET /api/grids</c>), each with a weight drawn
/// once from a log-normal distribution (seeded, so a seed always gives the same busy and quiet
/// grids): some grids — a market, a dense old quarter — report many times more than a field grid.
/// </summary>
public sealed class GridAtlas
{
    /// <summary>σ of log weight: the busiest tenth of grids files about a third of the reports.</summary>
    public const double Spread = 0.9;

    static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), 4326);
    readonly Categorical _pick;

    public IReadOnlyList<SimGrid> Grids { get; }
    public IReadOnlyList<string> Districts { get; }

    public GridAtlas(IReadOnlyList<SimGrid> grids, int seed)
    {
        if (grids.Count == 0) throw new InvalidOperationException("The server has no grids.");
        Grids = grids;
        Districts = grids.Select(g => g.DistrictCode).Distinct().Order().ToList();
        var rng = new MathNet.Numerics.Random.MersenneTwister(seed, threadSafe: false);
        var weights = grids.Select(_ => LogNormal.Sample(rng, 0, Spread)).ToArray();
        _pick = new Categorical(weights, new MathNet.Numerics.Random.MersenneTwister(seed + 1, threadSafe: false));
    }

    public static GridAtlas Parse(string geoJson, int seed)
    {
        var json = new JsonSerializerOptions();
        json.Converters.Add(new GeoJsonConverterFactory(Wgs84));
        var features = JsonSerializer.Deserialize<FeatureCollection>(geoJson, json) ?? [];
        var grids = features
            .Select(f => new SimGrid(Text(f, "code"), Text(f, "name"), Text(f, "districtCode"), f.Geometry))
            .OrderBy(g => g.Code, StringComparer.Ordinal)
            .ToList();
        return new GridAtlas(grids, seed);
    }

    static string Text(IFeature f, string name) => f.Attributes.GetOptionalValue(name)?.ToString() ?? "";

    /// <summary>A grid, with probability proportional to its weight. Not thread-safe: one caller.</summary>
    public SimGrid Pick() => Grids[_pick.Sample()];

    /// <summary>A uniformly random point inside the grid: rejection sampling on its bounding box.</summary>
    public static (double Lon, double Lat) PointIn(SimGrid grid, Random rng)
    {
        var box = grid.Shape.EnvelopeInternal;
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var p = Wgs84.CreatePoint(new Coordinate(box.MinX + rng.NextDouble() * box.Width, box.MinY + rng.NextDouble() * box.Height));
            if (grid.Covers(p)) return (p.X, p.Y);
        }
        var inside = grid.Shape.InteriorPoint;
        return (inside.X, inside.Y);
    }

    /// <summary>A point within about <paramref name="metres"/> of another, still inside the same grid (a second caller's description of the place).</summary>
    public static (double Lon, double Lat) Near(SimGrid grid, double lon, double lat, double metres, Random rng)
    {
        const double metresPerDegree = 111_320;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var dLat = (rng.NextDouble() * 2 - 1) * metres / metresPerDegree;
            var dLon = (rng.NextDouble() * 2 - 1) * metres / (metresPerDegree * Math.Cos(lat * Math.PI / 180));
            var p = Wgs84.CreatePoint(new Coordinate(lon + dLon, lat + dLat));
            if (grid.Covers(p)) return (p.X, p.Y);
        }
        return (lon, lat);
    }
}
