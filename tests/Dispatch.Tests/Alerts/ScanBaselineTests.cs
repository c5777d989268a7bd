using Dispatch.EarlyWarning.Scan;
using Dispatch.Server.Alerts;

namespace Dispatch.Tests.Alerts;

/// <summary>The live scan's expectation follows the city's week (issue 15, "Fixes found in review").</summary>
public sealed class ScanBaselineTests
{
    [Fact]
    public void A_grid_expects_more_on_the_weekday_the_city_reports_more()
    {
        // 63 days ending on a Sunday; two grids, one report a day, and two more on every Monday.
        var end = new DateOnly(2026, 12, 6);
        Assert.Equal(DayOfWeek.Sunday, end.DayOfWeek);
        var counts = new GridDays(end.AddDays(-62), 2, 63);
        for (var g = 0; g < 2; g++)
            for (var d = 0; d < 63; d++) counts[g, d] = counts.DateOf(d).DayOfWeek == DayOfWeek.Monday ? 3 : 1;

        var (window, baselines) = DayModels.ScanInputs(counts);

        Assert.Equal(end.AddDays(-6), window.Start); // a Monday
        var mean = (28 + 2 * 4 + 0.5) / 28;          // the grid's mean over the 28 days, plus half a report
        var weekly = (4 * 2 * 3.0 + 24 * 2 * 1.0) / 7; // the city's reports on an average weekday over those days
        Assert.Equal(mean * (4 * 2 * 3.0) / weekly, baselines[0, 0], 9);
        Assert.Equal(mean * (4 * 2 * 1.0) / weekly, baselines[1, 6], 9);
        Assert.Equal(3, window[0, 0]);
        // The week's expectation is the grid's mean over the week: the rhythm moves it between days, it does not add.
        Assert.Equal(7 * mean, Enumerable.Range(0, 7).Sum(d => baselines[0, d]), 9);
    }

    [Fact]
    public void A_city_without_reports_has_no_weekly_rhythm()
    {
        var (_, baselines) = DayModels.ScanInputs(new GridDays(new DateOnly(2026, 10, 1), 1, 63));
        Assert.All(Enumerable.Range(0, 7), d => Assert.Equal(0.5 / 28, baselines[0, d], 12));
    }
}
