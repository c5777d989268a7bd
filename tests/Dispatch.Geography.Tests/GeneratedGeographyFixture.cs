using Dispatch.Geography;
using NetTopologySuite.Geometries;

namespace Dispatch.Geography.Tests;

/// <summary>Reads the real data and generates the geography once for every test class in the collection.</summary>
public sealed class GeneratedGeographyFixture
{
    public GeneratedGeographyFixture()
    {
        Divisions = ReadDivisions();
        Sketch = ReadSketch();
        Geography = GeographyGenerator.Generate(Divisions, Sketch);
        Shapes = Geography.Regions.ToDictionary(r => r.Code, r => r.Shape);
    }

    public IReadOnlyList<Division> Divisions { get; }
    public GeographySketch Sketch { get; }
    public GeneratedGeography Geography { get; }
    public IReadOnlyDictionary<string, MultiPolygon> Shapes { get; }

    public static IReadOnlyList<Division> ReadDivisions()
    {
        using var csv = File.OpenText(Path.Combine(AppContext.BaseDirectory, "data", "divisions.csv"));
        return Dispatch.Geography.Divisions.Read(csv);
    }

    public static GeographySketch ReadSketch()
    {
        using var json = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "data", "geography.json"));
        return GeographySketch.Read(json);
    }
}

[CollectionDefinition(Name)]
public sealed class GeneratedGeographyCollection : ICollectionFixture<GeneratedGeographyFixture>
{
    public const string Name = "Generated geography";
}

/// <summary>
/// Areas in square metres: degrees² times the size of a degree² at Hebi's middle latitude (35.75°). One
/// scale for all shapes keeps areas additive; across the city's 0.6° of latitude it is within 0.5 % of
/// the geodesic area.
/// </summary>
static class Areas
{
    static readonly double SquareMetresPerSquareDegree = 111_195.0 * 111_195.0 * Math.Cos(35.75 * Math.PI / 180);

    public static double SquareMetres(Geometry g) => g.Area * SquareMetresPerSquareDegree;

    public static double SquareKilometres(Geometry g) => SquareMetres(g) / 1e6;
}
