using Dispatch.EarlyWarning.Scan;

namespace Dispatch.EarlyWarning.Tests.Scan;

public class ExpectationBasedScanTests
{
    static readonly ScanOptions Options = new(MaxWindow: 7, Replicates: 999);

    [Fact]
    public void It_finds_clusters_of_3_to_5_grids_tripled_over_the_last_3_days()
    {
        // 400 grids with baselines around 2 a day; each trial triples a centre and its 2–4 nearest
        // grids (a zone the scan can represent exactly) for 3 days: 18–30 expected, 3× observed. (At 1 a
        // day about 3 in 4 such clusters reach p < 0.05: power is the benchmark's business, not this test's.)
        var rng = new Random(101);
        var grids = Lattice.Points(20, 20, jitter: 0.3, rng: rng);
        var zones = Zones.Nearest(grids, 10);
        var baselines = Lattice.Baselines(rng, grids.Length, 28, mean: 2);
        var nul = ExpectationBasedScan.Null(zones, baselines, Options, new Random(102));

        var trials = Enumerable.Range(0, 20).Select(_ =>
        {
            var centre = rng.Next(grids.Length);
            var injected = zones.Members(centre, 3 + rng.Next(3)).ToArray();
            var counts = Lattice.Counts(rng, baselines, injected, days: 3, factor: 3);
            var top = ExpectationBasedScan.Score(zones, counts, baselines, Options, nul)[0];
            var (precision, recall) = Lattice.Overlap(top.Grids, injected.Select(g => grids[g].Code));
            return (top, precision, recall);
        }).ToList();

        Assert.True(trials.Count(t => t.top.PValue < 0.05) == 20, string.Join(", ", trials.Select(t => $"{t.top.PValue} {t.precision:F2} {t.recall:F2} {t.top.Days}")));
        Assert.True(trials.Average(t => t.precision) >= 0.9, $"precision {trials.Average(t => t.precision):F2}");
        Assert.True(trials.Average(t => t.recall) >= 0.9, $"recall {trials.Average(t => t.recall):F2}");
        Assert.True(trials.Count(t => t.top.Days == 3) >= 16, string.Join(", ", trials.Select(t => t.top.Days)));
    }

    [Fact]
    public void A_strong_cross_shaped_cluster_is_returned_exactly_with_its_window()
    {
        // On a regular lattice the 5-grid zone of an inner grid is the grid and its 4 edge neighbours.
        var rng = new Random(103);
        var grids = Lattice.Points(15, 15);
        var zones = Zones.Nearest(grids, 10);
        var baselines = Lattice.Baselines(rng, grids.Length, 14, mean: 1, spread: 0.2);
        var cross = new[] { 7 * 15 + 7, 6 * 15 + 7, 8 * 15 + 7, 7 * 15 + 6, 7 * 15 + 8 };
        Assert.Equal(cross.Order(), zones.Members(cross[0], 5).ToArray().Order());
        var counts = Lattice.Counts(rng, baselines, cross, days: 3, factor: 4);

        var top = ExpectationBasedScan.Run(zones, counts, baselines, Options, new Random(104))[0];

        Assert.Equal(cross.Select(g => grids[g].Code).Order(), top.Grids.Order());
        Assert.Equal((3, counts.End.AddDays(-2), counts.End), (top.Days, top.From, top.To));
        Assert.Equal(0.001, top.PValue);
        Assert.Equal(Enumerable.Range(11, 3).Sum(d => cross.Sum(g => counts[g, d])), top.Observed);
        Assert.Equal(Enumerable.Range(11, 3).Sum(d => cross.Sum(g => baselines[g, d])), top.Expected, 1e-9);
        Assert.Equal(top.Observed * Math.Log(top.Observed / top.Expected) + top.Expected - top.Observed, top.Score, 1e-9);
    }

    [Fact]
    public void Two_separate_clusters_are_reported_without_sharing_a_grid()
    {
        var rng = new Random(105);
        var grids = Lattice.Points(20, 20, jitter: 0.3, rng: rng);
        var zones = Zones.Nearest(grids, 8);
        var baselines = Lattice.Baselines(rng, grids.Length, 14, mean: 1);
        var west = zones.Members(5 * 20 + 3, 4).ToArray();
        var east = zones.Members(14 * 20 + 16, 4).ToArray();
        var counts = Lattice.Counts(rng, baselines, [.. west, .. east], days: 2, factor: 4);

        var clusters = ExpectationBasedScan.Run(zones, counts, baselines, Options with { Replicates = 199 }, new Random(106));

        Assert.Equal([1, 2, 3, 4, 5], clusters.Select(c => c.Rank));
        Assert.Equal(clusters.Sum(c => c.Grids.Count), clusters.SelectMany(c => c.Grids).Distinct().Count());
        Assert.True(clusters.Zip(clusters.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        var firstTwo = clusters.Take(2).SelectMany(c => c.Grids).ToHashSet();
        Assert.True(west.Concat(east).Count(g => firstTwo.Contains(grids[g].Code)) >= 7, string.Join(" ", firstTwo));
        Assert.All(clusters.Take(2), c => Assert.True(c.PValue < 0.05, $"p = {c.PValue}"));
    }

    [Fact]
    public void Its_p_values_are_uniform_on_signal_free_data()
    {
        // 200 null datasets, each with its own 99-replicate null (so the 200 p-values are
        // independent), on 64 grids, zones up to 5, windows up to 4 days — small, so that it runs in
        // about a second; the exchangeability argument does not depend on the size.
        var rng = new Random(107);
        var grids = Lattice.Points(8, 8, jitter: 0.3, rng: rng);
        var zones = Zones.Nearest(grids, 5);
        var options = new ScanOptions(MaxWindow: 4, Replicates: 99);
        var baselines = Lattice.Baselines(rng, grids.Length, 4, mean: 0.8);

        var conservative = new List<double>();
        var randomised = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var top = ExpectationBasedScan.Run(zones, Lattice.Counts(rng, baselines), baselines, options, new Random(1000 + i))[0];
            conservative.Add(top.PValue);
            randomised.Add(KolmogorovSmirnov.Randomised(top, rng));
        }

        var (d, p) = KolmogorovSmirnov.Uniform(randomised);
        Assert.True(p > 0.01, $"KS D = {d:F3}, p = {p:F4}");
        Assert.True(conservative.Count(x => x <= 0.05) <= 17, $"{conservative.Count(x => x <= 0.05)} of 200 at p ≤ 0.05"); // 10 expected; 17 ≈ +2.2 sd
    }

    [Fact]
    public void The_same_seed_gives_the_same_null_whatever_the_threads()
    {
        var rng = new Random(108);
        var grids = Lattice.Points(10, 10);
        var zones = Zones.Nearest(grids, 6);
        var baselines = Lattice.Baselines(rng, grids.Length, 7, mean: 0.7);
        var options = new ScanOptions(MaxWindow: 5, Replicates: 200);

        var one = ExpectationBasedScan.Null(zones, baselines, options with { MaxDegreeOfParallelism = 1 }, new Random(9));
        var many = ExpectationBasedScan.Null(zones, baselines, options with { MaxDegreeOfParallelism = 4 }, new Random(9));
        var other = ExpectationBasedScan.Null(zones, baselines, options, new Random(10));

        Assert.Equal(one.SortedMaxima, many.SortedMaxima);
        Assert.Equal(one.Fingerprint, other.Fingerprint);
        Assert.NotEqual(one.SortedMaxima, other.SortedMaxima);
    }

    [Fact]
    public void A_null_drawn_for_other_baselines_is_refused()
    {
        var rng = new Random(109);
        var zones = Zones.Nearest(Lattice.Points(5, 5), 4);
        var baselines = Lattice.Baselines(rng, 25, 7, mean: 1);
        var options = new ScanOptions(Replicates: 19);
        var nul = ExpectationBasedScan.Null(zones, baselines, options, new Random(1));
        var counts = Lattice.Counts(rng, baselines);
        var changed = new GridDays(baselines.Start, 25, 7, [.. Enumerable.Range(0, 175).Select(i => baselines[i / 7, i % 7])]);
        changed[3, 6] *= 1.01;

        Assert.NotNull(ExpectationBasedScan.Score(zones, counts, baselines, options, nul));
        Assert.Throws<ArgumentException>(() => ExpectationBasedScan.Score(zones, counts, changed, options, nul));
        Assert.Throws<ArgumentException>(() => ExpectationBasedScan.Score(zones, counts, baselines, options with { MaxWindow = 3 }, nul));
    }

    [Fact]
    public void A_score_ranks_among_the_replicate_maxima_with_ties_counted_against_it()
    {
        var nul = new ScanNull(0, [1, 2, 2, 2, 5]);

        Assert.Equal((1, 3), nul.Rank(2));
        Assert.Equal(5.0 / 6, nul.PValue(2));
        Assert.Equal((0, 0), nul.Rank(6));
        Assert.Equal(1.0 / 6, nul.PValue(6));
        Assert.Equal((5, 0), nul.Rank(0.5));
    }

    [Fact]
    public void Counts_at_or_below_the_baseline_give_no_cluster()
    {
        var zones = Zones.Nearest(Lattice.Points(3, 3), 4);
        var baselines = new GridDays(Lattice.Start, 9, 7, [.. Enumerable.Repeat(2.0, 63)]);
        var counts = new GridDays(Lattice.Start, 9, 7, [.. Enumerable.Range(0, 63).Select(i => (double)(i % 3))]);

        Assert.Empty(ExpectationBasedScan.Run(zones, counts, baselines, new ScanOptions(Replicates: 9), new Random(1)));
    }

    [Fact]
    public void Inputs_are_checked()
    {
        var zones = Zones.Nearest(Lattice.Points(3, 3), 4);
        var ones = new GridDays(Lattice.Start, 9, 7, [.. Enumerable.Repeat(1.0, 63)]);
        var options = new ScanOptions(Replicates: 9);
        Assert.Throws<ArgumentException>(() => ExpectationBasedScan.Run(zones, new GridDays(Lattice.Start, 8, 7), new GridDays(Lattice.Start, 8, 7), options, new Random(1)));
        Assert.Throws<ArgumentException>(() => ExpectationBasedScan.Run(zones, ones, new GridDays(Lattice.Start, 9, 7), options, new Random(1)));
        Assert.Throws<ArgumentException>(() => ExpectationBasedScan.Run(zones, new GridDays(Lattice.Start.AddDays(1), 9, 7), ones, options, new Random(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExpectationBasedScan.Run(zones, ones, ones, options with { MaxWindow = 8 }, new Random(1)));
        var negative = new GridDays(Lattice.Start, 9, 7) { [0, 6] = -1 };
        Assert.Throws<ArgumentException>(() => ExpectationBasedScan.Run(zones, negative, ones, options, new Random(1)));
    }
}
