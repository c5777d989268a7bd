using Dispatch.Geography;
using NetTopologySuite.IO;

namespace Dispatch.Geography.Tests;

[Collection(GeneratedGeographyCollection.Name)]
public class DeterminismTests(GeneratedGeographyFixture fixture)
{
    [Fact]
    public void The_same_inputs_and_seed_give_identical_coordinates()
    {
        var again = GeographyGenerator.Generate(GeneratedGeographyFixture.ReadDivisions(), GeneratedGeographyFixture.ReadSketch());

        Assert.Equal(Wkb(fixture.Geography), Wkb(again));
        Assert.Equal(fixture.Geography.Grids.Select(g => (g.Code, g.Name)), again.Grids.Select(g => (g.Code, g.Name)));
    }

    [Fact]
    public void Another_seed_gives_another_map_with_the_same_divisions()
    {
        var other = GeographyGenerator.Generate(fixture.Divisions, fixture.Sketch, seed: 1);

        Assert.Equal(fixture.Geography.Regions.Select(r => r.Code), other.Regions.Select(r => r.Code));
        Assert.Equal(fixture.Geography.Grids.Count, other.Grids.Count);
        Assert.NotEqual(Wkb(fixture.Geography), Wkb(other));
    }

    static List<string> Wkb(GeneratedGeography g)
    {
        var writer = new WKBWriter();
        return [.. g.Regions.Select(r => r.Shape).Concat(g.Grids.SelectMany(x => new NetTopologySuite.Geometries.Geometry[] { x.Shape, x.ServicePoint }))
            .Select(s => Convert.ToHexString(writer.Write(s)))];
    }
}
