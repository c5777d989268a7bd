using Dispatch.Server.Alerts;

namespace Dispatch.Tests.Alerts;

/// <summary>The alert lifecycle as a pure function.</summary>
public sealed class AlertLifecycleTests
{
    [Theory]
    [InlineData("raised", "acknowledge", "acknowledged")]
    [InlineData("raised", "task", "tasked")]
    [InlineData("raised", "close", "closed")]
    [InlineData("acknowledged", "task", "tasked")]
    [InlineData("acknowledged", "close", "closed")]
    [InlineData("tasked", "close", "closed")]
    [InlineData("acknowledged", "acknowledge", null)]
    [InlineData("tasked", "task", null)]
    [InlineData("tasked", "acknowledge", null)]
    [InlineData("closed", "close", null)]
    [InlineData("closed", "acknowledge", null)]
    [InlineData("closed", "task", null)]
    [InlineData("raised", "snooze", "raised")]
    [InlineData("tasked", "snooze", "tasked")]
    [InlineData("closed", "snooze", null)]
    public void Each_action_leads_where_it_should_or_nowhere(string from, string action, string? expected) =>
        Assert.Equal(expected, AlertLifecycle.Next(from, action));

    [Fact]
    public void A_level_only_rises()
    {
        Assert.Equal("orange", AlertLifecycle.Higher("orange", "yellow"));
        Assert.Equal("red", AlertLifecycle.Higher("orange", "red"));
        Assert.Equal("blue", AlertLifecycle.Higher("blue", "blue"));
    }

    [Theory]
    [InlineData(0.05, 999, "约每 20 天")]
    [InlineData(0.004, 999, "约每 8 个月")]
    [InlineData(0.001, 999, "不到每 2.7 年")]
    [InlineData(0.001, 1999, "约每 2.7 年")]
    public void An_alarm_says_how_often_a_day_like_it_comes_by_chance(double p, int replicates, string expected) =>
        Assert.Contains(expected, Signal.Recurrence(p, replicates));

    [Fact]
    public void A_signal_belongs_to_the_smallest_region_holding_its_grids()
    {
        Assert.Equal("410602001001001", Signal.RegionOf(["410602001001001"]));
        Assert.Equal("410602001001", Signal.RegionOf(["410602001001001", "410602001001002"]));
        Assert.Equal("410602001", Signal.RegionOf(["410602001001001", "410602001002001"]));
        Assert.Equal("410602", Signal.RegionOf(["410602001001001", "410602002001001"]));
        Assert.Equal("410600", Signal.RegionOf(["410602001001001", "410611001001001"]));
    }
}
