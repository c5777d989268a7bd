using Dispatch.EarlyWarning.Patterns;

namespace Dispatch.EarlyWarning.Tests.Patterns;

public class ThreeZeroTests
{
    const string Village = "410602001001";
    static readonly DateOnly January = new(2026, 1, 1), EndOfJanuary = new(2026, 1, 31);

    static VillageIncident On(long id, int day, string category, string level = "township", string status = "closed", bool duplicate = false) =>
        new(id, new DateTimeOffset(2026, 1, day, 9, 0, 0, TimeSpan.FromHours(8)), category, level, status, duplicate);

    [Fact]
    public void Disputes_and_petitions_settled_in_the_township_keep_a_village_three_zero()
    {
        var status = ThreeZero.Assess(Village, [On(1, 3, "dispute.land"), On(2, 9, "petition"), On(3, 12, "order"), On(4, 20, "safety")], January, EndOfJanuary);

        Assert.True(status.IsThreeZero);
        Assert.Equal((0, 0, 0), (status.Petitions, status.Accidents, status.Cases));
        Assert.Empty(status.Breaking);
    }

    [Theory]
    [InlineData("petition", "district", ThreeZeroKind.Petitions)]
    [InlineData("petition", "city", ThreeZeroKind.Petitions)]
    [InlineData("accident", "township", ThreeZeroKind.Accidents)]
    [InlineData("criminal", "township", ThreeZeroKind.Cases)]
    [InlineData("criminal.theft", "township", ThreeZeroKind.Cases)]
    public void Each_zero_is_broken_by_its_own_kind_of_incident(string category, string level, ThreeZeroKind kind)
    {
        var incident = On(7, 15, category, level);
        var status = ThreeZero.Assess(Village, [incident], January, EndOfJanuary);

        Assert.Equal(kind, ThreeZero.Breaks(incident));
        Assert.False(status.IsThreeZero);
        Assert.All(Enum.GetValues<ThreeZeroKind>(), k => Assert.Equal(k != kind, status.Holds(k)));
        Assert.Equal([7L], status.Breaking);
    }

    [Fact]
    public void Rejected_cancelled_and_duplicate_incidents_do_not_count()
    {
        Assert.True(ThreeZero.Assess(Village, [On(1, 2, "criminal", status: "rejected"), On(2, 2, "accident", status: "cancelled"),
            On(3, 2, "accident", duplicate: true)], January, EndOfJanuary).IsThreeZero);
        Assert.Null(ThreeZero.Breaks(On(4, 2, "petition", level: "district", status: "cancelled")));
    }

    [Fact]
    public void The_period_is_whole_days_in_China_time()
    {
        // 31 January 23:30 China time is 15:30 UTC: inside January. 1 February 00:30 China time is still 31 January in UTC: outside.
        VillageIncident At(long id, DateTimeOffset at) => new(id, at, "accident", "township", "closed");
        var lastMinute = At(1, new DateTimeOffset(2026, 1, 31, 23, 30, 0, TimeSpan.FromHours(8)));
        var nextMonth = At(2, new DateTimeOffset(2026, 1, 31, 16, 30, 0, TimeSpan.Zero));

        Assert.Equal([1L], ThreeZero.Assess(Village, [lastMinute, nextMonth], January, EndOfJanuary).Breaking);
    }

    [Fact]
    public void A_three_zero_village_that_has_an_accident_loses_its_standing()
    {
        var incidents = new[] { On(1, 5, "dispute.family"), On(2, 18, "accident"), On(3, 19, "criminal") };
        var asOfYesterday = ThreeZero.Assess(Village, incidents, January, new DateOnly(2026, 1, 17));
        var asOfToday = ThreeZero.Assess(Village, incidents, January, new DateOnly(2026, 1, 18));

        var change = ThreeZero.Compare(asOfYesterday, asOfToday)!;

        Assert.Equal((ThreeZero.Detector, Village), (change.Detector, change.Village));
        Assert.True(change.LostStatus);
        Assert.Equal([ThreeZeroKind.Accidents], change.Lost);
        Assert.Empty(change.Regained);
        Assert.Equal([2L], change.After.Breaking);

        var later = ThreeZero.Compare(asOfToday, ThreeZero.Assess(Village, incidents, January, EndOfJanuary))!;
        Assert.False(later.LostStatus); // already lost: a further zero broken, not the status
        Assert.Equal([ThreeZeroKind.Cases], later.Lost);
    }

    [Fact]
    public void A_clean_new_period_regains_it_and_no_change_is_null()
    {
        var january = ThreeZero.Assess(Village, [On(1, 5, "criminal")], January, EndOfJanuary);
        var february = ThreeZero.Assess(Village, [On(1, 5, "criminal")], new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28));

        var change = ThreeZero.Compare(january, february)!;
        Assert.True(change.GainedStatus);
        Assert.Equal([ThreeZeroKind.Cases], change.Regained);
        Assert.Null(ThreeZero.Compare(february, february));
        Assert.Throws<ArgumentException>(() => ThreeZero.Compare(january, february with { Village = "410602001002" }));
        Assert.Throws<ArgumentException>(() => ThreeZero.Assess(Village, [], EndOfJanuary, January));
    }
}
