using Dispatch.EarlyWarning.Scan;

namespace Dispatch.EarlyWarning.Tests;

/// <summary>The small city the region detectors' tests share: 300 grids in villages of 3, 63 days of Poisson reports.</summary>
static class RegionCity
{
    public const int Grids = 300, PerRegion = 3, History = 63;
    public static readonly DateOnly Start = new(2026, 9, 1);
    public static readonly int[][] Regions = [.. Enumerable.Range(0, Grids / PerRegion).Select(r => Enumerable.Range(r * PerRegion, PerRegion).ToArray())];

    /// <summary>Poisson counts per grid and day, grid means between 0.1 and 0.7 a day.</summary>
    public static GridDays Counts(Random rng)
    {
        var counts = new GridDays(Start, Grids, History);
        for (var g = 0; g < Grids; g++)
            foreach (var (c, d) in Series.Counts(rng, History, 0.1 + 0.6 * (g % 7) / 6.0).Select((c, d) => (c, d))) counts[g, d] = c;
        return counts;
    }
}
