using Dispatch.EarlyWarning.Patterns;
using Dispatch.EarlyWarning.Scan;
using Dispatch.EarlyWarning.Tests.Scan;

namespace Dispatch.EarlyWarning.Tests.Patterns;

public class SilentGridsTests
{
    const int Middle = 12; // of a 5 × 5 lattice: its 8 neighbours surround it
    static readonly Zones Zones = Zones.Nearest(Lattice.Points(5, 5), 9);

    /// <summary>60 days of <paramref name="perDay"/> reports in every grid, then <paramref name="silentDays"/> days without any in <paramref name="silent"/>.</summary>
    static GridDays Counts(double perDay, int silentDays, params int[] silent)
    {
        var counts = new GridDays(Lattice.Start, 25, 60);
        for (var g = 0; g < 25; g++)
            for (var d = 0; d < 60; d++) counts[g, d] = silent.Contains(g) && d >= 60 - silentDays ? 0 : perDay;
        return counts;
    }

    [Fact]
    public void A_busy_grid_silent_for_7_days_among_reporting_neighbours_is_flagged_with_its_probability()
    {
        var found = SilentGrids.Find(Zones, Counts(3, 7, Middle)).Single();

        Assert.Equal((SilentGrids.Detector, "G0202", 7), (found.Detector, found.Grid, found.Days));
        Assert.Equal((Lattice.Start.AddDays(53), Lattice.Start.AddDays(59)), (found.From, found.To));
        Assert.Equal((3.0, 1.0, 21.0), (found.Rate, found.Activity, found.Expected));
        Assert.Equal(Math.Exp(-21), found.Probability, 1e-20);
        Assert.Equal((8 * 21.0, 8 * 21.0), (found.NeighbourObserved, found.NeighbourExpected));
        Assert.Equal(8, found.Neighbours.Count);
    }

    [Fact]
    public void Six_silent_days_are_not_yet_a_silent_grid()
    {
        Assert.Empty(SilentGrids.Find(Zones, Counts(3, 6, Middle)));
        Assert.Single(SilentGrids.Find(Zones, Counts(3, 6, Middle), new SilentGridOptions(MinSilentDays: 6)));
    }

    [Fact]
    public void Today_still_under_way_is_not_a_silent_day_but_a_report_today_ends_the_silence()
    {
        // Six complete silent days and a today with nothing yet: not a week of silence.
        Assert.Single(SilentGrids.Find(Zones, Counts(3, 7, Middle)));
        Assert.Empty(SilentGrids.Find(Zones, Counts(3, 7, Middle), lastDayOpen: true));
        // Seven complete days, then today: silent — unless a report came in today.
        var silent = Counts(3, 8, Middle);
        var found = SilentGrids.Find(Zones, silent, lastDayOpen: true).Single();
        Assert.Equal((7, Lattice.Start.AddDays(58)), (found.Days, found.To));
        silent[Middle, 59] = 1;
        Assert.Empty(SilentGrids.Find(Zones, silent, lastDayOpen: true));
    }

    [Fact]
    public void A_quiet_grid_may_be_silent_for_a_week()
    {
        // 0.5 a day: e^−3.5 ≈ 0.03 is no evidence at α = 0.001.
        Assert.Empty(SilentGrids.Find(Zones, Counts(0.5, 7, Middle)));
        Assert.Single(SilentGrids.Find(Zones, Counts(0.5, 7, Middle), new SilentGridOptions(Alpha: 0.05)));
    }

    [Fact]
    public void When_the_neighbours_are_silent_too_nobody_is_flagged()
    {
        Assert.Empty(SilentGrids.Find(Zones, Counts(3, 7, [.. Enumerable.Range(0, 25)])));
    }

    [Fact]
    public void A_lull_the_neighbours_share_lowers_the_expectation()
    {
        var counts = Counts(3, 7, Middle);
        for (var g = 0; g < 25; g++)
            for (var d = 53; d < 60; d++)
                if (g != Middle) counts[g, d] = 1; // a third of the usual

        var found = SilentGrids.Find(Zones, counts).Single();

        Assert.Equal(1.0 / 3, found.Activity, 1e-12);
        Assert.Equal(7.0, found.Expected, 1e-12);   // 7 days × 3 a day × 1/3
        Assert.Equal(Math.Exp(-7), found.Probability, 1e-15);
        Assert.Equal((7.0 * 8, 21.0 * 8), (found.NeighbourObserved, found.NeighbourExpected));
    }

    [Fact]
    public void A_grid_that_never_reported_is_judged_only_by_its_neighbours_rate_when_asked()
    {
        var counts = Counts(3, 60, Middle);

        Assert.Empty(SilentGrids.Find(Zones, counts));
        var found = SilentGrids.Find(Zones, counts, new SilentGridOptions(From: SilentExpectation.Neighbours)).Single();
        Assert.Equal((32, 3.0, 96.0), (found.Days, found.Rate, found.Expected)); // 60 days less the 28 kept for the rates
        Assert.Equal(Lattice.Start.AddDays(28), found.From);
    }

    [Fact]
    public void Inputs_are_checked()
    {
        Assert.Throws<ArgumentException>(() => SilentGrids.Find(Zones, new GridDays(Lattice.Start, 24, 60)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SilentGrids.Find(Zones, Counts(3, 7), new SilentGridOptions(Alpha: 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SilentGrids.Find(Zones, Counts(3, 7), new SilentGridOptions(MinSilentDays: 0)));
    }
}
