using Dispatch.Geography;

namespace Dispatch.Geography.Tests;

public class InputTests
{
    [Fact]
    public void Divisions_are_read_with_levels_and_parents()
    {
        var divisions = GeneratedGeographyFixture.ReadDivisions();

        Assert.Equal([1, 6, 48, 1041], Enum.GetValues<RegionLevel>().Select(l => divisions.Count(d => d.Level == l)));
        Assert.Equal(new Division(RegionLevel.City, "410600", "鹤壁市", null), divisions[0]);
        Assert.Contains(new Division(RegionLevel.Township, "410602001", "中山北路街道", "410602"), divisions);
        var codes = divisions.Select(d => d.Code).ToHashSet();
        Assert.All(divisions.Where(d => d.Level != RegionLevel.City), d => Assert.Contains(d.ParentCode!, codes));
    }

    [Fact]
    public void Divisions_accept_a_quoted_field_and_an_empty_parent()
    {
        var divisions = Dispatch.Geography.Divisions.Read(new StringReader("level,code,name,parent_code\ncity,1,\"A, B\",\nvillage,2,X村民委员会,1\n"));

        Assert.Equal([new(RegionLevel.City, "1", "A, B", null), new(RegionLevel.Village, "2", "X村民委员会", "1")], divisions);
    }

    [Fact]
    public void Sketch_is_read_with_its_outline_seeds_and_grid_count()
    {
        var sketch = GeneratedGeographyFixture.ReadSketch();

        Assert.True(sketch.CityOutline.IsValid);
        Assert.Equal(30, sketch.CityOutline.NumPoints - 1);
        Assert.Equal(6, sketch.Districts.Count);
        Assert.Equal(4122, sketch.GridServicePoints);
        Assert.Equal(2140, sketch.CityAreaKm2);
        Assert.Null(sketch.Districts.Single(d => d.Code == "410671").AreaKm2);
        Assert.Equal(952, sketch.Districts.Single(d => d.Name == "浚县").AreaKm2);
        Assert.All(sketch.Districts, d => Assert.True(sketch.CityOutline.Contains(sketch.CityOutline.Factory.CreatePoint(d.Seed))));
    }
}
