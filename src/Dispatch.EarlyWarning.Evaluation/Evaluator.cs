using System.Diagnostics;
using Dispatch.EarlyWarning.Patterns;
using Dispatch.EarlyWarning.Scan;

namespace Dispatch.EarlyWarning.Evaluation;

/// <summary>
/// Settings of an evaluation run.
/// </summary>
/// <param name="Background">The background (its <c>PerDay</c> is the citywide rate).</param>
/// <param name="Scenarios">Signals to inject.</param>
/// <param name="Replicates">Signals per scenario (docs/benchmarks.md: 50).</param>
/// <param name="Seed">Seeds the background, the injections and the nulls: same seed, same table.</param>
/// <param name="ZoneSize">Largest scan zone (64, so the 64-grid signal fits in one zone; production uses 10).</param>
/// <param name="ScanWindow">Longest scan window W in days (production: 7).</param>
/// <param name="StudyDays">Study period of the space-time permutation scan, ending on the judged day.</param>
/// <param name="NullReplicates">Replicates of the one expectation-based null drawn (timed, and to
/// express the calibrated threshold as a p-value).</param>
public sealed record EvaluationOptions(BackgroundOptions Background, IReadOnlyList<Scenario> Scenarios, int Replicates = 20, int Seed = 20261128,
    int ZoneSize = 64, int ScanWindow = 7, int StudyDays = 56, int NullReplicates = 999)
{
    /// <summary>Days per false alarm the thresholds are calibrated to: the main table, and the stricter one.</summary>
    public static readonly double[] Intervals = [30, 100];

    /// <summary>Test days on which the incident-level rules are judged and their scenarios planted
    /// (a quarter: a year of incidents at 5,000 a day would take gigabytes).</summary>
    public const int PatternDays = 91;

    /// <summary>Per-series specificity of the third threshold (the target's "≥ 85 % sensitivity at ≥ 97 % specificity").</summary>
    public const double Specificity = 0.97;

    /// <summary>
    /// The quick subset: one cell per shape, spanning durations, profiles and heights, with the
    /// "medium cluster" of the targets (16 grids, 3 days, 3 SD) among them.
    /// </summary>
    public static IReadOnlyList<Scenario> Quick { get; } =
    [
        new(Shape.OneGrid, 1, Profile.Spike, 5),
        new(Shape.Nearest4, 3, Profile.Spike, 5),
        new(Shape.Nearest16, 3, Profile.Spike, 3),
        new(Shape.Nearest16, 3, Profile.Spike, 5),
        new(Shape.Village, 3, Profile.Spike, 5),
        new(Shape.Village, 7, Profile.LogNormal, 5),
        new(Shape.AcrossTownships, 7, Profile.Ramp, 3),
        new(Shape.Nearest64, 7, Profile.LogNormal, 2),
        new(Shape.RepeatAddress, 7, Profile.Spike, 0),
        new(Shape.Escalation, 14, Profile.Spike, 0),
    ];

    /// <summary>The full factorial: 6 shapes × 4 durations × 3 profiles × 4 heights = 288 scenarios, and the two incident-level ones.</summary>
    public static IReadOnlyList<Scenario> Full { get; } =
    [
        .. from shape in Enum.GetValues<Shape>()
           from days in new[] { 1, 3, 7, 14 }
           from profile in Enum.GetValues<Profile>()
           from sds in new[] { 1.0, 2, 3, 5 }
           where shape is not (Shape.RepeatAddress or Shape.Escalation)
           select new Scenario(shape, days, profile, sds),
        new(Shape.RepeatAddress, 7, Profile.Spike, 0),
        new(Shape.Escalation, 14, Profile.Spike, 0),
    ];
}

/// <summary>A detector's calibration on the signal-free test year.</summary>
/// <param name="Thresholds">Score thresholds, one per entry of <see cref="EvaluationOptions.Intervals"/>,
/// then the per-series threshold at <see cref="EvaluationOptions.Specificity"/> (NaN for the scans).</param>
/// <param name="AlarmDays">Days with an alarm at each threshold (test year; −1 where the threshold is NaN).</param>
/// <param name="Episodes">Alarm episodes at each threshold (test year; −1 where NaN).</param>
/// <param name="Seconds">Time to score the signal-free days, one thread.</param>
/// <param name="ScoredDays">Signal-free days scored (the test year; <see cref="EvaluationOptions.PatternDays"/> for the rules).</param>
/// <param name="IsCalibrated">False for the fixed rules, whose thresholds are not set by calibration.</param>
public sealed record Calibrated(string Detector, double[] Thresholds, int[] AlarmDays, int[] Episodes, double Seconds, int ScoredDays, bool IsCalibrated);

/// <summary>A detector on a scenario: metrics at each threshold and the time spent on its replicates.</summary>
public sealed record Row(string Detector, Scenario Scenario, Summary[] AtThreshold, double Seconds);

/// <summary>Progress of a run: a stage and how far through it.</summary>
public readonly record struct EvaluationProgress(string Stage, int Done, int Total);

/// <summary>What a run produced.</summary>
/// <param name="TestDays">Days of the signal-free test year (alarm counts are per this many days).</param>
/// <param name="EbpThresholdPValues">The expectation-based scan's thresholds as Monte Carlo p-values
/// under one 999-replicate null (the baselines of the first test week).</param>
/// <param name="EbpNullSeconds">Time to draw that null (all cores).</param>
public sealed record EvaluationResult(EvaluationOptions Options, int Grids, int TestDays, double BaselineSize,
    IReadOnlyList<Calibrated> Calibration, IReadOnlyList<Row> Rows, double[] EbpThresholdPValues, double EbpNullSeconds, double SetupSeconds);

/// <summary>
/// The early-warning benchmark of docs/benchmarks.md: background, baseline, calibration on the
/// signal-free test year, injected signals, metrics per detector and scenario. Pure and seeded.
/// </summary>
/// <remarks>
/// Signals are injected into the same test year the thresholds were calibrated on (as Neill 2009
/// injects into the data it calibrates on); every detector sees the same injections. Alarms that
/// do not touch the signal count against PPV but not against its detection.
/// </remarks>
public static class Evaluator
{
    /// <summary>The detectors compared: five temporal methods on grid, village and township series, then the two scans.</summary>
    public static IReadOnlyList<EvaluatedDetector> Detectors(World world, EvaluationOptions options)
    {
        var scan = DetectorSettings.Production.Scan with { MaxWindow = options.ScanWindow, Replicates = options.NullReplicates };
        var list = new List<EvaluatedDetector>();
        foreach (var level in new[] { Level.Grid, Level.Village, Level.Township })
            foreach (var m in Enum.GetValues<TemporalMethod>()) list.Add(new TemporalDetector(m, level));
        list.Add(new EbpScanDetector(world, scan));
        list.Add(new StpScanDetector(world, scan, options.StudyDays));
        if (options.Scenarios.Any(s => s.Planted))
        {
            var incidents = new Incidents(world, world.TestStart - EscalationOptions.Default.Days, options.Seed + 2);
            list.Add(new PatternDetector(escalation: false, incidents, EvaluationOptions.PatternDays));
            list.Add(new PatternDetector(escalation: true, incidents, EvaluationOptions.PatternDays));
        }
        return list;
    }

    /// <summary>Runs the evaluation on <paramref name="grids"/>.</summary>
    public static EvaluationResult Run(IReadOnlyList<GridPoint> grids, EvaluationOptions options, IProgress<EvaluationProgress>? progress = null)
    {
        var setup = Stopwatch.StartNew();
        progress?.Report(new("生成背景 background", 0, 1));
        var nesting = new Nesting(grids, options.ZoneSize);
        var background = Background.Generate(grids.Count, options.Background, new Random(options.Seed));
        var world = new World(nesting, background);
        var detectors = Detectors(world, options);
        var intervals = EvaluationOptions.Intervals;
        setup.Stop();

        // Calibration on the signal-free test year.
        var calibration = new List<Calibrated>();
        for (var i = 0; i < detectors.Count; i++)
        {
            var d = detectors[i];
            progress?.Report(new($"校准 calibrate {d.Name}", i, detectors.Count));
            var clock = Stopwatch.StartNew();
            d.ScoreSignalFree(world);
            clock.Stop();
            double[] thresholds = d.Calibrated
                ? [.. intervals.Select(n => Calibration.Threshold(d.DailyMax, n)), d.SpecificityThreshold(EvaluationOptions.Specificity)]
                : [.. intervals.Select(_ => 0.5), double.NaN];
            var counts = thresholds.Select(h => double.IsNaN(h) ? (AlarmDays: -1, Episodes: -1)
                : Calibration.Count([.. Enumerable.Range(0, d.DailyMax.Length).Select(t => d.AlarmsSignalFree(t, h))])).ToArray();
            calibration.Add(new Calibrated(d.Name, thresholds, [.. counts.Select(c => c.AlarmDays)], [.. counts.Select(c => c.Episodes)],
                clock.Elapsed.TotalSeconds, d.DailyMax.Length, d.Calibrated));
        }

        // One 999-replicate null of the expectation-based scan: timed, and the thresholds as p-values.
        progress?.Report(new("蒙特卡洛零分布 Monte Carlo null", 0, 1));
        var ebp = detectors.OfType<EbpScanDetector>().Single();
        var nullOptions = ebp.Options with { MaxDegreeOfParallelism = -1 };
        var week = Baselines(world, world.TestStart + nullOptions.MaxWindow - 1, nullOptions.MaxWindow);
        var nullClock = Stopwatch.StartNew();
        var nul = ExpectationBasedScan.Null(nesting.Zones, week, nullOptions, new Random(options.Seed + 1));
        nullClock.Stop();
        var ebpIndex = detectors.ToList().IndexOf(ebp);
        var pValues = calibration[ebpIndex].Thresholds.Select(nul.PValue).ToArray();

        // Signals: the same injections for every detector.
        var rows = new List<Row>();
        var step = 0;
        for (var s = 0; s < options.Scenarios.Count; s++)
        {
            var scenario = options.Scenarios[s];
            var rng = new Random(unchecked(options.Seed * 1_000_003 + s)); // not HashCode.Combine: it is salted per process
            var end = scenario.Planted ? world.TestStart + EvaluationOptions.PatternDays : background.Days;
            var injections = Enumerable.Range(0, options.Replicates)
                .Select(_ => Injection.Draw(scenario, nesting, background, world.TestStart + 14, end, rng)).ToList();
            for (var i = 0; i < detectors.Count; i++)
            {
                var d = detectors[i];
                if (d is PatternDetector && !scenario.Planted) continue; // rules look for planted incidents only
                progress?.Report(new($"{scenario.Label} · {d.Name}", step++, options.Scenarios.Count * detectors.Count));
                var thresholds = calibration[i].Thresholds;
                var floor = thresholds.Where(h => !double.IsNaN(h)).Min();
                var outcomes = thresholds.Select(_ => new List<Outcome>()).ToArray();
                var clock = Stopwatch.StartNew();
                foreach (var injection in injections)
                {
                    var alarms = d.AlarmsWithSignal(injection, floor);
                    for (var k = 0; k < thresholds.Length; k++) outcomes[k].Add(Outcome.Of(injection, alarms, thresholds[k]));
                }
                clock.Stop();
                rows.Add(new Row(d.Name, scenario, [.. outcomes.Select(Summary.Of)], clock.Elapsed.TotalSeconds));
            }
        }
        progress?.Report(new("完成 done", 1, 1));
        return new EvaluationResult(options, grids.Count, world.TestDays, world.Model.Size, calibration, rows, pValues, nullClock.Elapsed.TotalSeconds, setup.Elapsed.TotalSeconds);
    }

    internal static GridDays Baselines(World world, int day, int span)
    {
        var first = day - span + 1;
        var values = new double[world.Nesting.Grids * span];
        for (var g = 0; g < world.Nesting.Grids; g++)
            for (var d = 0; d < span; d++) values[g * span + d] = world.Expected(g, first + d);
        return new GridDays(BackgroundOptions.Origin.AddDays(first), world.Nesting.Grids, span, values);
    }
}
