using Dispatch.Geography;

namespace Dispatch.Geography.Tests;

public class NamingTests
{
    [Theory]
    [InlineData("西一巷社区居民委员会", "西一巷社区", VillageKind.Community)]
    [InlineData("上关居民委员会", "上关社区", VillageKind.Community)]
    [InlineData("南小李庄村民委员会", "南小李庄村", VillageKind.Village)]
    [InlineData("蒋八营村委会", "蒋八营村", VillageKind.Village)]
    [InlineData("西石林村村民委员会", "西石林村", VillageKind.Village)]
    [InlineData("农场六分场生活区", "农场六分场生活区", VillageKind.LivingQuarter)]
    public void Short_names_and_kinds(string name, string shortName, VillageKind kind)
    {
        Assert.Equal(shortName, Naming.ShortName(name));
        Assert.Equal(kind, Naming.KindOf(name));
    }

    [Fact]
    public void Grid_names_and_codes()
    {
        Assert.Equal("西一巷社区第3网格", Naming.GridName("西一巷社区居民委员会", 3));
        Assert.Equal("410602001001003", Naming.GridCode("410602001001", 3));
        Assert.Equal("410602001001012", Naming.GridCode("410602001001", 12));
    }

    [Fact]
    public void Streets_are_told_from_towns_by_name()
    {
        Assert.True(Naming.IsStreet(new Division(RegionLevel.Township, "410611566", "天山路街道", "410611")));
        Assert.False(Naming.IsStreet(new Division(RegionLevel.Township, "410611100", "大赉店镇", "410611")));
        Assert.False(Naming.IsStreet(new Division(RegionLevel.Township, "410611200", "上峪乡", "410611")));
    }
}
