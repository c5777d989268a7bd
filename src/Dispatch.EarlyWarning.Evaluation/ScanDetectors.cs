using Dispatch.EarlyWarning.Scan;

namespace Dispatch.EarlyWarning.Evaluation;

/// <summary>
/// A prospective scan run every day over all 4,122 grids: its alarms are the most likely cluster
/// and the non-overlapping secondary clusters whose log-likelihood ratio exceeds the threshold.
/// The threshold is calibrated on the score itself, as Neill (2009) compares detectors: with a
/// fixed null the Monte Carlo p-value is a decreasing function of the score, so the two orderings
/// agree, and no per-day null is needed (the baselines change every day with weekday, season and
/// trend). The expectation-based scan's 999-replicate null is drawn once, to time it and to convert
/// the calibrated threshold to a p-value (<see cref="Evaluator"/>).
/// </summary>
public abstract class ScanDetector(string name, World world, ScanOptions options) : EvaluatedDetector(name)
{
    List<Alarm>[] signalFree = [];

    /// <summary>The data scanned.</summary>
    protected World World => world;

    /// <summary>The scan settings (one thread: the evaluation times each detector alone).</summary>
    public ScanOptions Options => options;

    /// <summary>Days of counts one scoring reads, ending on the judged day.</summary>
    protected abstract int Span { get; }

    /// <summary>Scores the day whose last <see cref="Span"/> days of counts are given.</summary>
    protected abstract IReadOnlyList<ScanCluster> Scan(GridDays counts, int day);

    /// <inheritdoc/>
    public override void ScoreSignalFree(World w)
    {
        signalFree = new List<Alarm>[w.TestDays];
        DailyMax = new double[w.TestDays];
        for (var d = 0; d < w.TestDays; d++)
        {
            signalFree[d] = Alarms(Counts(w.TestStart + d, null), w.TestStart + d, double.NegativeInfinity);
            DailyMax[d] = signalFree[d].Count > 0 ? signalFree[d][0].Score : 0;
        }
    }

    /// <inheritdoc/>
    public override List<Alarm> AlarmsSignalFree(int testDay, double floor) => [.. signalFree[testDay].Where(a => a.Score > floor)];

    /// <inheritdoc/>
    public override List<Alarm>[] AlarmsWithSignal(Injection injection, double floor)
    {
        var result = new List<Alarm>[injection.Days];
        for (var i = 0; i < injection.Days; i++)
        {
            var day = injection.Start + i;
            result[i] = Alarms(Counts(day, injection), day, floor);
        }
        return result;
    }

    List<Alarm> Alarms(GridDays counts, int day, double floor)
    {
        var alarms = new List<Alarm>();
        foreach (var c in Scan(counts, day))
            if (c.Score > floor) alarms.Add(new Alarm(c.Score, [.. c.Grids.Select(world.Nesting.Zones.IndexOf)]));
        return alarms;
    }

    /// <summary>Counts of the <see cref="Span"/> days ending on <paramref name="day"/>, with the signal's extras.</summary>
    GridDays Counts(int day, Injection? injection)
    {
        var span = Span;
        var first = day - span + 1;
        var b = world.Background;
        var values = new double[b.Grids * span];
        for (var g = 0; g < b.Grids; g++)
            for (var d = 0; d < span; d++) values[g * span + d] = b.Counts[g * b.Days + first + d];
        if (injection is not null)
            foreach (var (g, d, extra) in injection.Extras)
                if (d >= first && d <= day) values[g * span + d - first] += extra;
        return new GridDays(BackgroundOptions.Origin.AddDays(first), b.Grids, span, values);
    }

    /// <summary>The baseline's expected counts of the <paramref name="span"/> days ending on <paramref name="day"/>.</summary>
    protected GridDays Baselines(int day, int span) => Evaluator.Baselines(world, day, span);
}

/// <summary>The expectation-based Poisson scan (Neill 2009) against the baseline model.</summary>
public sealed class EbpScanDetector(World world, ScanOptions options)
    : ScanDetector("EBP scan 期望泊松扫描", world, options)
{
    /// <inheritdoc/>
    protected override int Span => Options.MaxWindow;

    /// <inheritdoc/>
    protected override IReadOnlyList<ScanCluster> Scan(GridDays counts, int day)
    {
        var baselines = Baselines(day, Span);
        // Score only: the threshold is on the score, so the null needs no replicates here — a
        // one-value null with the right fingerprint satisfies Score's staleness check.
        var nul = new ScanNull(ExpectationBasedScan.Fingerprint(World.Nesting.Zones, baselines, Options), [double.PositiveInfinity]);
        return ExpectationBasedScan.Score(World.Nesting.Zones, counts, baselines, Options, nul);
    }
}

/// <summary>
/// The space-time permutation scan (Kulldorff 2005) over a study period of
/// <paramref name="studyDays"/> days ending on the judged day (no baseline: it conditions on the
/// grids' and days' totals). One permutation replicate is drawn per call only because the method
/// insists on at least one; the score is the observed data's.
/// </summary>
public sealed class StpScanDetector(World world, ScanOptions options, int studyDays)
    : ScanDetector("STP scan 时空重排扫描", world, options)
{
    /// <inheritdoc/>
    protected override int Span => studyDays;

    /// <inheritdoc/>
    protected override IReadOnlyList<ScanCluster> Scan(GridDays counts, int day) =>
        SpaceTimePermutationScan.Run(World.Nesting.Zones, counts, Options with { Replicates = 1 }, new Random(day));
}
