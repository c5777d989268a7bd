using Dispatch.EarlyWarning.Scan;

namespace Dispatch.EarlyWarning.Tests.Scan;

public class ZonesTests
{
    static double Haversine(GridPoint a, GridPoint b)
    {
        const double r = 6_371_008.8, rad = Math.PI / 180;
        var h = Math.Pow(Math.Sin((b.Lat - a.Lat) * rad / 2), 2)
                + Math.Cos(a.Lat * rad) * Math.Cos(b.Lat * rad) * Math.Pow(Math.Sin((b.Lon - a.Lon) * rad / 2), 2);
        return 2 * r * Math.Asin(Math.Sqrt(h));
    }

    [Fact]
    public void Each_zone_is_its_centre_and_the_nearest_grids_on_the_sphere()
    {
        // 30 × 40 grids 2 km apart: 60 × 80 km, Hebi's size, so the flat-earth scale is tested where it errs most.
        var grids = Lattice.Points(30, 40, spacing: 2_000, jitter: 0.4, new Random(1));
        var zones = Zones.Nearest(grids, 20);

        Assert.Equal(grids.Length * 20, zones.Count);
        for (var c = 0; c < grids.Length; c += 7)
        {
            var sphere = grids.Select(g => Haversine(grids[c], g)).Order().ToArray();
            for (var s = 1; s <= 20; s++)
            {
                var members = zones.Members(c, s).ToArray();
                Assert.Equal(c, members[0]);
                Assert.Equal(s, members.Distinct().Count());
                // The farthest member is the s-th nearest on the sphere, up to the projection's 0.6 %.
                var farthest = members.Max(g => Haversine(grids[c], grids[g]));
                Assert.InRange(farthest, sphere[s - 1] * 0.994, sphere[s - 1] * 1.006);
                Assert.InRange(zones.Radius(c, s), farthest * 0.994, farthest * 1.006);
            }
        }
    }

    [Fact]
    public void A_radius_cap_shrinks_the_zones_of_isolated_grids()
    {
        var grids = Lattice.Points(5, 5, spacing: 1_000).Append(new GridPoint("FAR", 115.0, 36.2)).ToArray();
        var zones = Zones.Nearest(grids, 9, maxRadiusMetres: 1_100);

        Assert.Equal(1, zones.SizesAt(zones.IndexOf("FAR")));
        Assert.Equal(3, zones.SizesAt(0));                        // a corner: itself and two neighbours
        Assert.Equal(5, zones.SizesAt(12));                       // the middle: itself and four
        Assert.True(zones.Radius(12, 5) <= 1_100);
        Assert.Throws<ArgumentOutOfRangeException>(() => zones.Members(0, 4));
    }

    [Fact]
    public void Fewer_grids_than_the_largest_zone_give_zones_of_every_grid()
    {
        var zones = Zones.Nearest(Lattice.Points(2, 2), 10);

        Assert.Equal(4, zones.MaxSize);
        var members = zones.Members(0, 4).ToArray();
        Assert.Equal(0, members[0]);
        Assert.Equal(3, members[3]); // the diagonal is farthest
        Assert.Equal([0, 1, 2, 3], members.Order());
    }

    [Fact]
    public void Inputs_are_checked()
    {
        Assert.Throws<ArgumentException>(() => Zones.Nearest([], 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Zones.Nearest(Lattice.Points(2, 2), 0));
        Assert.Throws<ArgumentException>(() => Zones.Nearest([new("A", 114, 35), new("A", 114.1, 35)], 2));
        Assert.Throws<ArgumentException>(() => Zones.Nearest([new("A", 114, 95)], 2));
    }
}
