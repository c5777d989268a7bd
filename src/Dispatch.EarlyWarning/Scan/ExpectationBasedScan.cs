using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Numerics;

namespace Dispatch.EarlyWarning.Scan;

/// <summary>
/// Expectation-based Poisson scan statistic (Neill, Moore, Sabhnani &amp; Daniel, "Detection of
/// emerging space-time clusters", KDD 2005; Neill, "Expectation-based scan statistics for
/// monitoring spatial time series data", Int J Forecasting 2009): counts are Poisson with the
/// baseline model's expected counts b under H0 and q·b (q &gt; 1) inside a cylinder under H1. The
/// likelihood ratio maximised over q gives, for a cylinder of count C and baseline B,
/// F = C·ln(C/B) + B − C when C &gt; B, else 0; the statistic is the maximum of F over the zones
/// × windows ending on the last day (prospective surveillance). Unlike Kulldorff's scan it does not
/// condition on the total, so a citywide rise counts as a cluster: it asks "more than the baseline
/// predicts?", not "more here than elsewhere?".
/// </summary>
/// <remarks>
/// <para>The null depends on the baselines alone (replicates are Poisson(b) counts), so it is drawn
/// once — nightly, when the baselines are refitted — by <see cref="Null"/>, and every scoring run
/// only scores the observed counts (<see cref="Score"/>) and looks up its rank.</para>
/// <para>Cost per dataset: one pass over (centre, size, window) — growing each centre's zone one
/// grid at a time adds that grid's W trailing sums, a SIMD vector of windows per instruction. A
/// logarithm is taken only where it could beat the running maximum m: since ln x ≤ x − 1,
/// F ≤ (C − B)²/B, so (C − B)² ≤ m·B skips the cylinder — under the null nearly all of them once m
/// has settled. About 1.5 ns per cylinder: on 4,122 grids × 20 sizes × 30 windows a scoring run
/// takes tens of milliseconds and the 999-replicate null about 4.5 CPU-seconds
/// (<c>docs/performance.md</c>, B6).</para>
/// </remarks>
public static class ExpectationBasedScan
{
    /// <summary>The detector's name in results and alerts.</summary>
    public const string Detector = "expectation-based-poisson-scan";

    /// <summary>
    /// Scores <paramref name="counts"/> against <paramref name="baselines"/> and ranks the score in
    /// <paramref name="nul"/>, which must have been drawn from the same zones, baselines and options
    /// (checked by fingerprint). Only the last <see cref="ScanOptions.MaxWindow"/> days are read;
    /// both inputs must end on the same day. Clusters are in descending score (none when no
    /// cylinder exceeds its baseline).
    /// </summary>
    public static IReadOnlyList<ScanCluster> Score(Zones zones, GridDays counts, GridDays baselines, ScanOptions options, ScanNull nul)
    {
        Check(zones, baselines, options);
        Cylinders.CheckGrids(zones, counts, nameof(counts));
        if (counts.End != baselines.End) throw new ArgumentException($"Counts end on {counts.End} but baselines on {baselines.End}.", nameof(counts));
        if (counts.Days < options.MaxWindow) throw new ArgumentException($"{counts.Days} days of counts cannot fill a {options.MaxWindow}-day window.", nameof(counts));
        CheckCounts(counts, options.MaxWindow);
        if (nul.Fingerprint != Fingerprint(zones, baselines, options))
            throw new ArgumentException("This null was drawn from other zones, baselines or options; draw it again.", nameof(nul));

        var w = options.MaxWindow;
        var stride = Cylinders.Stride(w);
        var c = counts.TrailingSums(w, stride, pad: 0);
        var b = baselines.TrailingSums(w, stride, pad: 1);
        var best = new CentreBest(zones.Grids.Count);
        Maximise(zones, c, b, new Vector<double>[stride / Vector<double>.Count], new Vector<double>[stride / Vector<double>.Count], best);
        return [.. Cylinders.Pick(zones, best, options.MaxClusters).Select((p, i) => Cylinders.Cluster(Detector, i + 1, zones, counts, p,
            Cylinders.Sum(zones, p.Centre, p.Size, c, stride, p.Window), Cylinders.Sum(zones, p.Centre, p.Size, b, stride, p.Window), nul))];
    }

    /// <summary>
    /// Draws the null: R datasets of Poisson(b) counts over the last W days, each reduced to its
    /// maximum F. Replicates run in parallel, each from its own seed taken from <paramref name="rng"/>.
    /// </summary>
    public static ScanNull Null(Zones zones, GridDays baselines, ScanOptions options, Random rng)
    {
        Check(zones, baselines, options);
        var w = options.MaxWindow;
        var stride = Cylinders.Stride(w);
        var vectors = stride / Vector<double>.Count;
        var grids = zones.Grids.Count;
        var b = baselines.TrailingSums(w, stride, pad: 1);
        var daily = new double[grids * w]; // b of grid g, d days before the last, at [g·W + d]
        var none = new double[grids * w];  // e^−b, the probability of no incident
        for (var g = 0; g < grids; g++)
            for (var d = 0; d < w; d++)
            {
                daily[g * w + d] = baselines[g, baselines.Days - 1 - d];
                none[g * w + d] = Math.Exp(-daily[g * w + d]);
            }

        var maxima = Cylinders.Replicate(options.Replicates, rng, options.MaxDegreeOfParallelism,
            () => (Counts: new double[grids * stride], AccC: new Vector<double>[vectors], AccB: new Vector<double>[vectors]),
            (random, s) =>
            {
                for (var g = 0; g < grids; g++)
                {
                    var sum = 0.0;
                    for (var d = 0; d < w; d++) s.Counts[g * stride + d] = sum += Poisson(random, daily[g * w + d], none[g * w + d]);
                }
                return Maximise(zones, s.Counts, b, s.AccC, s.AccB, best: null);
            });
        return new ScanNull(Fingerprint(zones, baselines, options), maxima);
    }

    /// <summary><see cref="Null"/> then <see cref="Score"/>: for a one-off run, or when baselines change every run.</summary>
    public static IReadOnlyList<ScanCluster> Run(Zones zones, GridDays counts, GridDays baselines, ScanOptions options, Random rng) =>
        Score(zones, counts, baselines, options, Null(zones, baselines, options, rng));

    /// <summary>
    /// XxHash3 of what the null depends on: the zones, W, R and the baselines of the last W days
    /// (bit for bit). Stable across processes and machines, so it can key a stored null.
    /// </summary>
    public static ulong Fingerprint(Zones zones, GridDays baselines, ScanOptions options)
    {
        var hash = new XxHash3();
        hash.Append(MemoryMarshal.AsBytes<int>([zones.Grids.Count, zones.MaxSize, options.MaxWindow, options.Replicates]));
        hash.Append(MemoryMarshal.AsBytes(zones.MemberTable.AsSpan()));
        hash.Append(MemoryMarshal.AsBytes(zones.SizeTable.AsSpan()));
        for (var g = 0; g < baselines.Grids; g++)
            hash.Append(MemoryMarshal.AsBytes(baselines.Values.AsSpan(g * baselines.Days + baselines.Days - options.MaxWindow, options.MaxWindow)));
        return hash.GetCurrentHashAsUInt64();
    }

    // The maximum of F over every cylinder; with best, also each centre's best cylinder (then the
    // skip test uses that centre's running best, so every centre's best is exact). Rows of c and b
    // are padded to whole vectors with counts 0 and baselines 1, which never pass the skip test.
    static double Maximise(Zones zones, double[] c, double[] b, Vector<double>[] accC, Vector<double>[] accB, CentreBest? best)
    {
        var members = zones.MemberTable;
        var sizes = zones.SizeTable;
        var k = zones.MaxSize;
        var vectors = accC.Length;
        var cv = MemoryMarshal.Cast<double, Vector<double>>(c.AsSpan());
        var bv = MemoryMarshal.Cast<double, Vector<double>>(b.AsSpan());
        var max = 0.0;
        for (var centre = 0; centre < sizes.Length; centre++)
        {
            var m = best is null ? max : 0;
            var mv = new Vector<double>(m);
            int bestSize = 0, bestWindow = 0;
            Array.Clear(accC);
            Array.Clear(accB);
            for (var s = 0; s < sizes[centre]; s++)
            {
                var row = members[centre * k + s] * vectors;
                for (var v = 0; v < vectors; v++)
                {
                    var cw = accC[v] += cv[row + v];
                    var bw = accB[v] += bv[row + v];
                    var excess = cw - bw;
                    if (!Vector.GreaterThanAny(excess * excess, mv * bw)) continue;
                    for (var lane = 0; lane < Vector<double>.Count; lane++)
                    {
                        double cl = cw[lane], bl = bw[lane], el = excess[lane];
                        if (el * el <= m * bl || el <= 0) continue;
                        var f = cl * Math.Log(cl / bl) - el;
                        if (f <= m) continue;
                        (m, bestSize, bestWindow) = (f, s + 1, v * Vector<double>.Count + lane + 1);
                        mv = new Vector<double>(m);
                    }
                }
            }
            if (best is not null) (best.Score[centre], best.Size[centre], best.Window[centre]) = (m, bestSize, bestWindow);
            max = Math.Max(max, m);
        }
        return max;
    }

    // A Poisson draw by inversion (Devroye, Non-Uniform Random Variate Generation, 1986, §X.3):
    // one uniform, then walk up the probabilities from P(0) = e^−b, which the null computes once per
    // grid-day instead of once per draw. Expected steps 1 + b, so large means go to MathNet.
    internal static int Poisson(Random random, double mean, double none)
    {
        if (mean >= 30) return MathNet.Numerics.Distributions.Poisson.Sample(random, mean);
        var u = random.NextDouble();
        var k = 0;
        double p = none, cdf = none;
        while (u > cdf && p > 0)
        {
            k++;
            p *= mean / k;
            cdf += p;
        }
        return k;
    }

    static void Check(Zones zones, GridDays baselines, ScanOptions options)
    {
        Cylinders.CheckGrids(zones, baselines, nameof(baselines));
        options.Validate(baselines.Days);
        for (var g = 0; g < baselines.Grids; g++)
            for (var d = baselines.Days - options.MaxWindow; d < baselines.Days; d++)
                if (!(baselines[g, d] > 0 && double.IsFinite(baselines[g, d])))
                    throw new ArgumentException($"Baseline of grid {zones.Grids[g].Code} on {baselines.DateOf(d)} is {baselines[g, d]}; expected counts must be positive and finite.", nameof(baselines));
    }

    static void CheckCounts(GridDays counts, int window)
    {
        for (var g = 0; g < counts.Grids; g++)
            for (var d = counts.Days - window; d < counts.Days; d++)
                if (!(counts[g, d] >= 0 && double.IsFinite(counts[g, d])))
                    throw new ArgumentException($"Count of grid {g} on {counts.DateOf(d)} is {counts[g, d]}; counts must be finite and not negative.", nameof(counts));
    }
}
