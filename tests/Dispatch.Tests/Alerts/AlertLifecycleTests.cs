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
