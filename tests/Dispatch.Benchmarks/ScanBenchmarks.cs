using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Dispatch.EarlyWarning.Scan;
using Dispatch.Geography;
using Dispatch.Server.Regions;
using MathNet.Numerics.Distributions;

namespace Dispatch.Benchmarks;

/// <summary>
/// The background of docs/benchmarks.md on the real 4,122 grids (service points of the generated
/// geography): a year of daily Poisson counts with λ = exp(α_grid + γ_weekday), α log-normal
/// across grids (sd 1), scaled to a citywide mean of <c>perDay</c> incidents; baselines are the
/// true λ. Zones: each grid and its 19 nearest (k = 20); windows up to 30 days.
/// </summary>
sealed class ScanData
{
    public const int Days = 365, MaxSize = 20, MaxWindow = 30;

    static readonly Lazy<GridPoint[]> Grids = new(() =>
    {
        var (divisions, sketch) = SeedGeography.ReadEmbeddedData();
        return [.. GeographyGenerator.Generate(divisions, sketch).Grids.Select(g => new GridPoint(g.Code, g.ServicePoint.X, g.ServicePoint.Y))];
    });

    public ScanData(int perDay)
    {
        var rng = new Random(610);
        Points = Grids.Value;
        Zones = Zones.Nearest(Points, MaxSize);
        var start = new DateOnly(2025, 1, 1);
        var level = Points.Select(_ => Math.Exp(Normal.Sample(rng, 0, 1))).ToArray();
        var scale = perDay / level.Sum();
        double[] weekday = [0.8, 1.1, 1.05, 1.05, 1.05, 1.05, 0.9]; // Sunday … Saturday
        Baselines = new GridDays(start, Points.Length, Days);
        Counts = new GridDays(start, Points.Length, Days);
        for (var g = 0; g < Points.Length; g++)
            for (var d = 0; d < Days; d++)
            {
                Baselines[g, d] = level[g] * scale * weekday[(int)start.AddDays(d).DayOfWeek];
                Counts[g, d] = Poisson.Sample(rng, Baselines[g, d]);
            }
    }

    public GridPoint[] Points { get; }
    public Zones Zones { get; }
    public GridDays Baselines { get; }
    public GridDays Counts { get; }
    public ScanOptions Options { get; } = new(MaxWindow: MaxWindow, Replicates: 999);
}

/// <summary>
/// B6: the scoring run the scheduler repeats every 5 minutes — the expectation-based scan of the
/// observed counts against a cached null — and building the zones.
/// </summary>
[MemoryDiagnoser]
public class ScanScoringBenchmarks
{
    ScanData data = null!;
    ScanNull nul = null!;

    [Params(1_000, 5_000)]
    public int PerDay { get; set; }

    [GlobalSetup]
    public void SetUp()
    {
        data = new ScanData(PerDay);
        nul = ExpectationBasedScan.Null(data.Zones, data.Baselines, data.Options with { Replicates = 19 }, new Random(1));
    }

    [Benchmark(Description = "Expectation-based scan: score 4,122 grids × k ≤ 20 × W ≤ 30 against a cached null")]
    public int ExpectationBasedScore() =>
        ExpectationBasedScan.Score(data.Zones, data.Counts, data.Baselines, data.Options with { Replicates = 19 }, nul).Count;

    [Benchmark(Description = "Zones: 20 nearest of each of 4,122 grids")]
    public int BuildZones() => Zones.Nearest(data.Points, ScanData.MaxSize).Count;
}

/// <summary>
/// B6: the Monte Carlo nulls — 999 replicates of the expectation-based scan (drawn nightly) and
/// of the space-time permutation scan (drawn at every run: its null depends on the observed data).
/// Seconds per operation, so a few iterations of one operation each.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ScanNullBenchmarks
{
    ScanData data = null!;

    [Params(1_000, 5_000)]
    public int PerDay { get; set; }

    [GlobalSetup]
    public void SetUp() => data = new ScanData(PerDay);

    [Benchmark(Description = "Expectation-based scan: 999-replicate null")]
    public double ExpectationBasedNull() => ExpectationBasedScan.Null(data.Zones, data.Baselines, data.Options, new Random(2)).SortedMaxima[^1];

    [Benchmark(Description = "Space-time permutation scan: 365-day study period, 999 replicates")]
    public double SpaceTimePermutation() => SpaceTimePermutationScan.Run(data.Zones, data.Counts, data.Options, new Random(3))[0].PValue;
}
