using Dispatch.Geography;
using NetTopologySuite.Geometries;

namespace Dispatch.Geography.Tests;

[Collection(GeneratedGeographyCollection.Name)]
public class GeneratedGeographyTests(GeneratedGeographyFixture fixture)
{
    readonly GeneratedGeography geography = fixture.Geography;

    [Fact]
    public void Every_division_has_one_shape_with_its_code_and_level()
    {
        Assert.Equal(fixture.Divisions.Select(d => (d.Code, d.Level)), geography.Regions.Select(r => (r.Code, r.Level)));
    }

    [Fact]
    public void The_sketched_number_of_grids_is_spread_over_every_village()
    {
        Assert.Equal(fixture.Sketch.GridServicePoints, geography.Grids.Count);
        var villages = fixture.Divisions.Where(d => d.Level == RegionLevel.Village).Select(d => d.Code).ToHashSet();
        var byVillage = geography.Grids.GroupBy(g => g.VillageCode).ToList();
        Assert.True(villages.SetEquals(byVillage.Select(g => g.Key)));
        Assert.All(byVillage, grids => Assert.Equal(
            Enumerable.Range(1, grids.Count()).Select(n => $"{grids.Key}{n:D3}"),
            grids.Select(g => g.Code).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void Grids_are_named_after_their_village()
    {
        var names = fixture.Divisions.ToDictionary(d => d.Code, d => d.Name);
        Assert.All(geography.Grids, g => Assert.Equal($"{Naming.ShortName(names[g.VillageCode])}第{int.Parse(g.Code[12..])}网格", g.Name));
        Assert.Contains(geography.Grids, g => g.Name == "西一巷社区第1网格");
        Assert.DoesNotContain(geography.Grids, g => g.Name.Contains("委员会") || g.Name.Contains("村委会"));
    }

    [Fact]
    public void Shapes_are_valid_nonempty_multipolygons_in_wgs84_on_the_precision_grid()
    {
        var shapes = geography.Regions.Select(r => r.Shape).Concat(geography.Grids.Select(g => g.Shape)).ToList();
        Assert.All(shapes, s =>
        {
            Assert.True(s.IsValid);
            Assert.False(s.IsEmpty);
            Assert.Equal(4326, s.SRID);
            Assert.All(s.Coordinates, c => Assert.True(OnGrid(c.X) && OnGrid(c.Y)));
            Assert.InRange(s.EnvelopeInternal.MinX, 113.9, 114.8);
            Assert.InRange(s.EnvelopeInternal.MinY, 35.4, 36.1);
        });
    }

    [Fact]
    public void Service_points_lie_strictly_inside_their_grid()
    {
        Assert.All(geography.Grids, g =>
        {
            Assert.Equal(4326, g.ServicePoint.SRID);
            Assert.True(g.Shape.Contains(g.ServicePoint), g.Code); // Contains excludes the boundary
            Assert.True(g.Shape.Boundary.Distance(g.ServicePoint) > 1e-6, g.Code); // and not within ~10 cm of it
        });
    }

    [Fact]
    public void Grids_cover_the_outline()
    {
        var outline = Areas.SquareKilometres(fixture.Sketch.CityOutline);
        var grids = geography.Grids.Sum(g => Areas.SquareKilometres(g.Shape));

        Assert.InRange(outline, 2100, 2135); // the sketch's outline, about 2,117 km²
        Assert.InRange(grids / outline, 0.995, 1.005);
        // The city is the outline with the districts' and grids' corners added on it, each rounded to the 1e-7° grid.
        var city = fixture.Shapes["410600"];
        Assert.All(city.Coordinates, c => Assert.True(fixture.Sketch.CityOutline.ExteriorRing.Distance(city.Factory.CreatePoint(c)) < 1e-7));
        Assert.True(Math.Abs(Areas.SquareMetres(city) - Areas.SquareMetres(fixture.Sketch.CityOutline)) < 100);
    }

    static bool OnGrid(double ordinate) => Math.Round(ordinate * 1e7) / 1e7 == ordinate;
}
