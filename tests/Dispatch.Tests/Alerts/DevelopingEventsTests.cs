using Dispatch.Server.Alerts;

namespace Dispatch.Tests.Alerts;

/// <summary>One alert per developing event, as a pure function (issue 15).</summary>
public sealed class DevelopingEventsTests
{
    // Township 410602001, villages …001 and …002, three grids each.
    const string Township = "410602001";
    static readonly string[] VillageA = ["410602001001001", "410602001001002", "410602001001003"];
    static readonly string[] VillageB = ["410602001002001", "410602001002002", "410602001002003"];
    static readonly DateOnly Today = new(2026, 12, 8);

    static Signal Finding(string detector, string region, IReadOnlyList<string> grids, string level, double? p = null, int days = 1) =>
        new(detector, region, grids, level, $"{detector} 标题", $"{detector} 在 {region}", 12, 2, 8, p, Today.AddDays(1 - days), Today);

    static string Name(string code) => code;

    [Fact]
    public void A_village_burst_seen_by_five_detectors_is_one_alert_led_by_the_strongest_listing_all()
    {
        var signals = new[]
        {
            Finding("ears-c2", VillageA[0][..12], VillageA, "yellow"),
            Finding("ears-c2", Township, [.. VillageA, .. VillageB], "blue"),
            Finding("nb-cusum", VillageA[0][..12], VillageA, "yellow", p: 0.004, days: 3),
            Finding("ewma", VillageA[0][..12], VillageA, "yellow", p: 0.008, days: 3),
            Finding("expectation-based-poisson-scan", VillageA[0], [VillageA[0], VillageA[1]], "orange", p: 0.001),
            Finding("repeat-place", VillageA[0], [VillageA[0]], "yellow"),
        };

        var merged = DevelopingEvents.Merge(signals, Name);

        var alert = Assert.Single(merged, s => s.Evidence is not null);
        Assert.Equal(("expectation-based-poisson-scan", "orange"), (alert.Detector, alert.Level));
        Assert.Equal(["expectation-based-poisson-scan", "nb-cusum", "ewma", "ears-c2", "ears-c2"], alert.Evidence!.Select(f => f.Detector));
        Assert.Equal(VillageA[0][..12], alert.RegionCode); // the hot spot widened to its village, not to the township
        Assert.Equal(VillageA, alert.Grids);
        Assert.Equal((Today.AddDays(-2), Today), (alert.From, alert.To));
        Assert.Contains("同一事件另有 4 项检测报警", alert.Summary);
        Assert.StartsWith("expectation-based-poisson-scan 在", alert.Summary);
        // What does not measure an excess of reports stands alone.
        Assert.Single(merged, s => s.Detector == "repeat-place" && s.Evidence is null);
        Assert.Equal(2, merged.Count);
    }

    [Fact]
    public void Two_hot_spots_in_one_township_are_two_alerts_and_the_township_series_joins_only_the_stronger()
    {
        var signals = new[]
        {
            Finding("expectation-based-poisson-scan", VillageA[0], [VillageA[0]], "yellow", p: 0.03),
            Finding("expectation-based-poisson-scan", VillageB[1], [VillageB[1], VillageB[2]], "red", p: 0.001),
            Finding("ears-c2", Township, [.. VillageA, .. VillageB], "yellow"),
            Finding("ears-c2", VillageB[0][..12], VillageB, "yellow"),
        };

        var events = DevelopingEvents.Merge(signals, Name);

        Assert.Equal(2, events.Count);
        var strong = Assert.Single(events, e => e.Level == "red");
        Assert.Equal(["expectation-based-poisson-scan", "ears-c2", "ears-c2"], strong.Evidence!.Select(f => f.Detector));
        Assert.Equal([Township, VillageB[0][..12]], strong.Evidence!.Skip(1).Select(f => f.RegionCode).Order(StringComparer.Ordinal));
        var weak = Assert.Single(events, e => e.Level == "yellow");
        Assert.Equal([VillageA[0]], weak.Grids);
        Assert.Single(weak.Evidence!);
    }

    [Fact]
    public void Overlapping_clusters_merge_and_a_township_alone_is_its_own_event()
    {
        var events = DevelopingEvents.Merge(
        [
            Finding("expectation-based-poisson-scan", VillageA[0], [VillageA[0], VillageA[1]], "orange", p: 0.005),
            Finding("expectation-based-poisson-scan", VillageA[1], [VillageA[1], VillageA[2]], "yellow", p: 0.02),
            Finding("ears-c2", "410602002", ["410602002001001", "410602002002001"], "blue"),
        ], Name);

        Assert.Equal(2, events.Count);
        Assert.Equal(VillageA, events[0].Grids);
        Assert.Equal(2, events[0].Evidence!.Count);
        Assert.Equal(("ears-c2", "410602002"), (events[1].Detector, events[1].RegionCode));
        Assert.Empty(DevelopingEvents.Merge([], Name));
    }
}
