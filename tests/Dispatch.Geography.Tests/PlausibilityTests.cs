using Dispatch.Geography;

namespace Dispatch.Geography.Tests;

/// <summary>The generated map should look like Hebi: urban parts dense, rural parts large.</summary>
[Collection(GeneratedGeographyCollection.Name)]
public class PlausibilityTests(GeneratedGeographyFixture fixture)
{
    [Fact]
    public void Community_grids_are_smaller_and_more_numerous_than_village_grids()
    {
        var names = fixture.Divisions.ToDictionary(d => d.Code, d => d.Name);
        var urban = fixture.Geography.Grids.Where(g => Naming.KindOf(names[g.VillageCode]) == VillageKind.Community).ToList();
        var rural = fixture.Geography.Grids.Except(urban).ToList();
        double MeanArea(IEnumerable<GridShape> grids) => grids.Average(g => Areas.SquareKilometres(g.Shape));
        double PerVillage(IEnumerable<GridShape> grids) => grids.GroupBy(g => g.VillageCode).Average(v => v.Count());

        Assert.True(MeanArea(urban) * 4 < MeanArea(rural), $"{MeanArea(urban)} vs {MeanArea(rural)} km²");
        Assert.True(PerVillage(urban) > 2 * PerVillage(rural), $"{PerVillage(urban)} vs {PerVillage(rural)} grids");
    }

    [Fact]
    public void Streets_are_smaller_than_towns_in_every_district()
    {
        foreach (var district in fixture.Divisions.Where(d => d.Level == RegionLevel.District))
        {
            var townships = fixture.Divisions.Where(d => d.ParentCode == district.Code).ToList();
            var streets = townships.Where(Naming.IsStreet).Select(t => Areas.SquareKilometres(fixture.Shapes[t.Code])).ToList();
            var towns = townships.Where(t => !Naming.IsStreet(t)).Select(t => Areas.SquareKilometres(fixture.Shapes[t.Code])).ToList();
            if (streets.Count > 0 && towns.Count > 0) Assert.True(streets.Max() < towns.Min(), district.Name);
        }
    }

    [Fact]
    public void District_areas_follow_the_sketch()
    {
        var ratios = fixture.Sketch.Districts.Where(d => d.AreaKm2 is not null)
            .Select(d => Areas.SquareKilometres(fixture.Shapes[d.Code]) / d.AreaKm2!.Value).ToList();
        Assert.True(ratios.Max() / ratios.Min() < 1.03, string.Join(", ", ratios));

        var zone = Areas.SquareKilometres(fixture.Shapes["410671"]) / Areas.SquareKilometres(fixture.Shapes["410600"]);
        Assert.InRange(zone, 0.01, 0.08); // the development zone, which the sketch gives no area
    }

    [Fact]
    public void Districts_lie_around_their_seeds()
    {
        var factory = fixture.Shapes["410600"].Factory;
        Assert.All(fixture.Sketch.Districts, d => Assert.True(fixture.Shapes[d.Code].Contains(factory.CreatePoint(d.Seed)), d.Name));
    }
}
