using System.Diagnostics;
using Dispatch.EarlyWarning.Scan;

namespace Dispatch.EarlyWarning.Evaluation;

/// <summary>
/// Compute figures of issue 6 (Done-when 6), measured on the real grids with the production
/// settings of the scoring job (<c>ScoreAlerts</c>: 63 days of history, EARS C2 on every village and
/// township series, the expectation-based scan over 10-grid zones and 7-day windows against 28-day
/// mean baselines, its 999-replicate null cached).
/// </summary>
/// <param name="ScoringSeconds">Median of <paramref name="Runs"/> scoring passes (one thread), the null cached.</param>
/// <param name="ScoringAllocatedBytes">Bytes allocated by one pass (the pass's working memory beyond its inputs).</param>
/// <param name="InputBytes">The inputs a pass holds: counts and zones.</param>
/// <param name="NullSeconds">The 999-replicate null at production settings (10-grid zones), all cores.</param>
/// <param name="NullSeconds64">The same with 64-grid zones, the evaluation's setting.</param>
public sealed record ComputeFigures(double ScoringSeconds, long ScoringAllocatedBytes, long InputBytes, double NullSeconds, double NullSeconds64, int Runs);

/// <summary>Times the production scoring pass and the Monte Carlo null.</summary>
public static class ComputeBenchmark
{
    const int HistoryDays = 63, BaselineDays = 28, Window = 7;

    /// <summary>Measures on the last 63 days of <paramref name="background"/>.</summary>
    public static ComputeFigures Measure(IReadOnlyList<GridPoint> grids, Background background, int runs = 5, int seed = 1)
    {
        var options = DetectorSettings.Production.Scan with { MaxWindow = Window, MaxDegreeOfParallelism = -1 };
        var zones = Zones.Nearest(grids, 10);
        var counts = new GridDays(BackgroundOptions.Origin.AddDays(background.Days - HistoryDays), grids.Count, HistoryDays);
        for (var g = 0; g < grids.Count; g++)
            for (var d = 0; d < HistoryDays; d++) counts[g, d] = background[g, background.Days - HistoryDays + d];
        var (window, baselines) = ScanInputs(counts);

        var clock = Stopwatch.StartNew();
        var nul = ExpectationBasedScan.Null(zones, baselines, options, new Random(seed));
        var nullSeconds = clock.Elapsed.TotalSeconds;
        var zones64 = Zones.Nearest(grids, 64);
        clock.Restart();
        ExpectationBasedScan.Null(zones64, baselines, options, new Random(seed));
        var null64 = clock.Elapsed.TotalSeconds;

        Pass(zones, counts, options, nul); // warm-up: JIT and tiered compilation
        var times = new double[runs];
        long allocated = 0;
        for (var r = 0; r < runs; r++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            clock.Restart();
            Pass(zones, counts, options, nul);
            times[r] = clock.Elapsed.TotalSeconds;
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Array.Sort(times);
        var inputBytes = (long)grids.Count * HistoryDays * sizeof(double) + (long)grids.Count * 10 * (sizeof(int) + sizeof(double));
        return new ComputeFigures(times[runs / 2], allocated, inputBytes, nullSeconds, null64, runs);
    }

    /// <summary>One scoring pass as the scheduled job computes it (without the database): EARS C2 on
    /// every village and township series, then the scan scored against the cached null. Returns the
    /// number of signals, so the work cannot be optimised away.</summary>
    public static int Pass(Zones zones, GridDays counts, ScanOptions options, ScanNull nul)
    {
        var signals = 0;
        foreach (var length in new[] { 12, 9 })
        {
            var series = new Dictionary<string, double[]>(StringComparer.Ordinal);
            for (var g = 0; g < counts.Grids; g++)
            {
                var region = zones.Grids[g].Code[..Math.Min(length, zones.Grids[g].Code.Length)];
                if (!series.TryGetValue(region, out var s)) series[region] = s = new double[counts.Days];
                for (var d = 0; d < counts.Days; d++) s[d] += counts[g, d];
            }
            foreach (var s in series.Values)
                if (Ears.C2(s) is [.., { Alarm: true } last] && last.Count >= 3) signals++;
        }
        var (window, baselines) = ScanInputs(counts);
        signals += ExpectationBasedScan.Score(zones, window, baselines, options, nul).Count(c => c.PValue < 0.05);
        return signals;
    }

    // As the job: each grid's expected daily count is its mean over the 28 days before the window,
    // plus half an incident.
    static (GridDays Window, GridDays Baselines) ScanInputs(GridDays counts)
    {
        var window = new GridDays(counts.End.AddDays(1 - Window), counts.Grids, Window);
        var baselines = new GridDays(window.Start, counts.Grids, Window);
        for (var g = 0; g < counts.Grids; g++)
        {
            var sum = 0.0;
            for (var d = counts.Days - Window - BaselineDays; d < counts.Days - Window; d++) sum += counts[g, d];
            for (var d = 0; d < Window; d++)
            {
                baselines[g, d] = (sum + 0.5) / BaselineDays;
                window[g, d] = counts[g, counts.Days - Window + d];
            }
        }
        return (window, baselines);
    }
}
