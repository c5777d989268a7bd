using Dispatch.EarlyWarning.Scan;

namespace Dispatch.EarlyWarning.Tests.Scan;

public class SpaceTimePermutationScanTests
{
    [Fact]
    public void It_finds_clusters_of_3_to_5_grids_tripled_over_the_last_3_days()
    {
        // 400 grids around 2 cases a day over a 28-day study period; as for the expectation-based
        // scan, each trial triples a centre and its 2–4 nearest grids for the last 3 days.
        var rng = new Random(201);
        var grids = Lattice.Points(20, 20, jitter: 0.3, rng: rng);
        var zones = Zones.Nearest(grids, 10);
        var means = Lattice.Baselines(rng, grids.Length, 28, mean: 2);
        var options = new ScanOptions(MaxWindow: 7, Replicates: 999);

        var trials = Enumerable.Range(0, 20).Select(i =>
        {
            var injected = zones.Members(rng.Next(grids.Length), 3 + rng.Next(3)).ToArray();
            var cases = Lattice.Counts(rng, means, injected, days: 3, factor: 3);
            var top = SpaceTimePermutationScan.Run(zones, cases, options, new Random(i))[0];
            var (precision, recall) = Lattice.Overlap(top.Grids, injected.Select(g => grids[g].Code));
            return (top, precision, recall);
        }).ToList();

        Assert.True(trials.Count(t => t.top.PValue < 0.05) == 20, string.Join(", ", trials.Select(t => $"{t.top.PValue} {t.precision:F2} {t.recall:F2} {t.top.Days}")));
        Assert.True(trials.Average(t => t.precision) >= 0.9, $"precision {trials.Average(t => t.precision):F2}");
        Assert.True(trials.Average(t => t.recall) >= 0.9, $"recall {trials.Average(t => t.recall):F2}");
        Assert.True(trials.Count(t => t.top.Days == 3) >= 16, string.Join(", ", trials.Select(t => t.top.Days)));
    }

    [Fact]
    public void Its_expectation_and_likelihood_ratio_are_Kulldorffs()
    {
        // Grid A: 1, 1, 4 cases; grid B: 2, 2, 0. C = 10; the last day holds 4 of them.
        // Cylinder {A} × last day: μ = 6·4/10 = 2.4, c = 4: 4 ln(4/2.4) + 6 ln(6/7.6).
        var zones = Zones.Nearest([new("A", 114.30, 35.75), new("B", 114.31, 35.75)], 2);
        var cases = new GridDays(Lattice.Start, 2, 3, [1, 1, 4, 2, 2, 0]);

        var top = SpaceTimePermutationScan.Run(zones, cases, new ScanOptions(MaxWindow: 1, Replicates: 99), new Random(1)).Single();

        Assert.Equal(["A"], top.Grids);
        Assert.Equal((4.0, 1), (top.Observed, top.Days));
        Assert.Equal(2.4, top.Expected, 1e-12);
        Assert.Equal(4 * Math.Log(4 / 2.4) + 6 * Math.Log(6 / 7.6), top.Score, 1e-12);
        Assert.Equal(SpaceTimePermutationScan.Detector, top.Detector);
    }

    [Fact]
    public void Its_p_values_are_uniform_on_signal_free_data()
    {
        // Cases Poisson with a grid effect times a day effect (no space-time interaction), 200
        // datasets of 64 grids × 21 days, zones up to 5, windows up to 4, 99 replicates each.
        var rng = new Random(202);
        var zones = Zones.Nearest(Lattice.Points(8, 8, jitter: 0.3, rng: rng), 5);
        var means = Lattice.Baselines(rng, 64, 21, mean: 1.5);
        var options = new ScanOptions(MaxWindow: 4, Replicates: 99);

        var conservative = new List<double>();
        var randomised = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var top = SpaceTimePermutationScan.Run(zones, Lattice.Counts(rng, means), options, new Random(2000 + i))[0];
            conservative.Add(top.PValue);
            randomised.Add(KolmogorovSmirnov.Randomised(top, rng));
        }

        var (d, p) = KolmogorovSmirnov.Uniform(randomised);
        Assert.True(p > 0.01, $"KS D = {d:F3}, p = {p:F4}");
        Assert.True(conservative.Count(x => x <= 0.05) <= 17, $"{conservative.Count(x => x <= 0.05)} of 200 at p ≤ 0.05");
    }

    [Fact]
    public void A_citywide_rise_is_no_space_time_cluster_though_the_expectation_based_scan_sees_it()
    {
        var rng = new Random(203);
        var zones = Zones.Nearest(Lattice.Points(12, 12, jitter: 0.3, rng: rng), 8);
        var means = Lattice.Baselines(rng, 144, 28, mean: 1);
        var everywhere = Lattice.Counts(rng, means, [.. Enumerable.Range(0, 144)], days: 3, factor: 2);
        var options = new ScanOptions(MaxWindow: 7, Replicates: 199);

        var permutation = SpaceTimePermutationScan.Run(zones, everywhere, options, new Random(1));
        var expectation = ExpectationBasedScan.Run(zones, everywhere, means, options, new Random(1));

        Assert.True(permutation[0].PValue > 0.05, $"p = {permutation[0].PValue}");
        Assert.True(expectation[0].PValue < 0.01, $"p = {expectation[0].PValue}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_answer_whatever_the_threads()
    {
        var rng = new Random(204);
        var zones = Zones.Nearest(Lattice.Points(10, 10), 6);
        var cases = Lattice.Counts(rng, Lattice.Baselines(rng, 100, 20, mean: 1));
        var options = new ScanOptions(MaxWindow: 5, Replicates: 300);

        var one = SpaceTimePermutationScan.Run(zones, cases, options with { MaxDegreeOfParallelism = 1 }, new Random(3));
        var many = SpaceTimePermutationScan.Run(zones, cases, options with { MaxDegreeOfParallelism = 4 }, new Random(3));

        static object Key(ScanCluster c) => (string.Join(" ", c.Grids), c.Days, c.Score, c.Exceeding, c.Tied);
        Assert.Equal(one.Select(Key), many.Select(Key));
        Assert.Equal(options.MaxClusters, one.Count);
    }

    [Fact]
    public void No_cases_give_no_cluster_and_bad_inputs_are_refused()
    {
        var zones = Zones.Nearest(Lattice.Points(3, 3), 4);
        var options = new ScanOptions(MaxWindow: 3, Replicates: 9);

        Assert.Empty(SpaceTimePermutationScan.Run(zones, new GridDays(Lattice.Start, 9, 10), options, new Random(1)));
        Assert.Throws<ArgumentException>(() => SpaceTimePermutationScan.Run(zones, new GridDays(Lattice.Start, 9, 3), options, new Random(1)));
        Assert.Throws<ArgumentException>(() => SpaceTimePermutationScan.Run(zones, new GridDays(Lattice.Start, 9, 10) { [0, 0] = 1.5 }, options, new Random(1)));
        Assert.Throws<ArgumentException>(() => SpaceTimePermutationScan.Run(zones, new GridDays(Lattice.Start, 8, 10), options, new Random(1)));
    }
}
