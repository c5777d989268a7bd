using Dispatch.Geography;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace Dispatch.Geography.Tests;

/// <summary>Each level tiles its parent: no gap and no overlap above 1 m², checked with NTS's own overlay.</summary>
[Collection(GeneratedGeographyCollection.Name)]
public class TilingTests(GeneratedGeographyFixture fixture)
{
    const double ToleranceM2 = 1;

    [Theory]
    [InlineData(RegionLevel.City)]
    [InlineData(RegionLevel.District)]
    [InlineData(RegionLevel.Township)]
    public void Children_tile_each_division(RegionLevel parentLevel)
    {
        var children = fixture.Divisions.Where(d => d.ParentCode is not null).ToLookup(d => d.ParentCode!, d => (Geometry)fixture.Shapes[d.Code]);
        foreach (var parent in fixture.Divisions.Where(d => d.Level == parentLevel))
            AssertTiles(parent.Code, fixture.Shapes[parent.Code], children[parent.Code].ToList());
    }

    [Fact]
    public void Grids_tile_each_village()
    {
        foreach (var village in fixture.Geography.Grids.GroupBy(g => g.VillageCode))
            AssertTiles(village.Key, fixture.Shapes[village.Key], village.Select(g => (Geometry)g.Shape).ToList());
    }

    static void AssertTiles(string code, Geometry parent, List<Geometry> children)
    {
        Assert.NotEmpty(children);
        var union = OverlayNGRobust.Union(children);
        var difference = Areas.SquareMetres(OverlayNGRobust.Overlay(union, parent, SpatialFunction.SymDifference));
        Assert.True(difference < ToleranceM2, $"{code}: union of children differs from it by {difference:F2} m²");
        // Overlay may snap away slivers narrower than its tolerance; plain area sums cannot hide them.
        var sum = children.Sum(Areas.SquareMetres) - Areas.SquareMetres(parent);
        Assert.True(Math.Abs(sum) < ToleranceM2, $"{code}: children's areas add up to {sum:F2} m² more than its own");

        var index = new STRtree<int>();
        for (var i = 0; i < children.Count; i++) index.Insert(children[i].EnvelopeInternal, i);
        for (var i = 0; i < children.Count; i++)
            foreach (var j in index.Query(children[i].EnvelopeInternal).Where(j => j > i))
            {
                var overlap = Areas.SquareMetres(OverlayNGRobust.Overlay(children[i], children[j], SpatialFunction.Intersection));
                Assert.True(overlap < ToleranceM2, $"{code}: children {i} and {j} overlap by {overlap:F2} m²");
            }
    }
}
