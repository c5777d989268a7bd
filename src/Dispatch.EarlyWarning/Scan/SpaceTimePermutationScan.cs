using System.Numerics;
using System.Runtime.InteropServices;

namespace Dispatch.EarlyWarning.Scan;

/// <summary>
/// Space-time permutation scan statistic (Kulldorff, Heffernan, Hartman, Assunção &amp; Mostashari,
/// "A space–time permutation scan statistic for disease outbreak detection", PLoS Med 2005), as
/// SaTScan computes it, prospectively: cylinders are zone × the last 1 … W days of a study period.
/// It needs cases only — no population, no baseline model: the expected count of a cylinder is
/// μ = C_zone·C_window / C (zone total over the study period × total of the window's days / grand
/// total), what the counts would be if where and when were independent. The log of the
/// generalised likelihood ratio, in the Poisson approximation of the hypergeometric that SaTScan
/// uses, is c·ln(c/μ) + (C − c)·ln((C − c)/(C − μ)) for c &gt; μ, else 0.
/// </summary>
/// <remarks>
/// <para>It looks for space-time interaction: a rise everywhere at once, or a grid that is always
/// busy, scores nothing. It adjusts for purely spatial and purely temporal variation by
/// construction, at the price of missing citywide rises (which the expectation-based scan sees).</para>
/// <para>The null conditions on both marginals: each replicate shuffles the dates among the cases,
/// keeping every grid's total and every day's total. Only the cases that land in the last W days
/// matter, so each replicate draws just those — a uniform ordered sample without replacement of
/// the cases, the first of them dated the last day and so on by the day totals — and never touches
/// the rest of the study period. The null depends on the observed marginals, so it is drawn on
/// every run; it cannot be precomputed.</para>
/// <para>Skip test: ln x ≤ x − 1 bounds the log-likelihood ratio by C·(c − μ)²/(μ·(C − μ)), so a
/// cylinder with C·(c − μ)² ≤ m·μ·(C − μ) cannot beat the running maximum m and costs no logarithm.
/// Windows are scored a SIMD vector at a time, as in <see cref="ExpectationBasedScan"/>. On 4,122
/// grids × 20 sizes × 30 windows over a 365-day period, 999 replicates take about 3 CPU-seconds at
/// 1,000 incidents a day and 7–11 at 5,000, where drawing the window's 150,000 cases dominates
/// (<c>docs/performance.md</c>, B6).</para>
/// </remarks>
public static class SpaceTimePermutationScan
{
    /// <summary>The detector's name in results and alerts.</summary>
    public const string Detector = "space-time-permutation-scan";

    /// <summary>
    /// Scans <paramref name="cases"/> (whole numbers of cases per grid and day over the study
    /// period; the last day is the one judged) and draws R permutation replicates for the p-values.
    /// The study period must be longer than <see cref="ScanOptions.MaxWindow"/> (SaTScan allows at
    /// most half of it). Clusters are in descending score; none when there are no cases.
    /// </summary>
    public static IReadOnlyList<ScanCluster> Run(Zones zones, GridDays cases, ScanOptions options, Random rng)
    {
        Check(zones, cases, options);
        var w = options.MaxWindow;
        var grids = zones.Grids.Count;
        var totals = new double[grids];
        var dayTotals = new int[cases.Days];
        for (var g = 0; g < grids; g++)
            for (var d = 0; d < cases.Days; d++)
            {
                totals[g] += cases[g, d];
                dayTotals[d] += (int)cases[g, d];
            }
        var total = dayTotals.Sum(d => (long)d);
        if (total == 0) return [];
        if (total > Array.MaxLength) throw new ArgumentException($"{total} cases are more than one permutation array can hold.", nameof(cases));

        // share[w] = C_window / C for the window of the last w + 1 days (padding lanes: 0).
        var stride = Cylinders.Stride(w);
        var vectors = stride / Vector<double>.Count;
        var share = new double[stride];
        var inWindow = new int[w];
        for (int i = 0, sum = 0; i < w; i++) (inWindow[i], share[i]) = (sum += dayTotals[cases.Days - 1 - i], (double)sum / total);

        var observed = cases.TrailingSums(w, stride, pad: 0);
        var best = new CentreBest(grids);
        Maximise(zones, observed, totals, share, total, new Vector<double>[vectors], best);

        var labels = new int[total];
        for (int g = 0, at = 0; g < grids; g++)
            for (var n = 0; n < (int)totals[g]; n++) labels[at++] = g;
        var maxima = Cylinders.Replicate(options.Replicates, rng, options.MaxDegreeOfParallelism,
            () => (Taken: new ulong[(total + 63) / 64], Counts: new double[grids * stride], Acc: new Vector<double>[vectors]),
            (random, s) =>
            {
                Permute(random, labels, s.Taken, s.Counts, inWindow, stride);
                return Maximise(zones, s.Counts, totals, share, total, s.Acc, best: null);
            });
        var nul = new ScanNull(0, maxima);

        return [.. Cylinders.Pick(zones, best, options.MaxClusters).Select((p, i) => Cylinders.Cluster(Detector, i + 1, zones, cases, p,
            Cylinders.Sum(zones, p.Centre, p.Size, observed, stride, p.Window),
            ZoneTotal(zones, p.Centre, p.Size, totals) * share[p.Window - 1], nul))];
    }

    // One replicate's trailing-window sums: draw the cases dated in the last W days as distinct
    // uniform case indices in random order (rejection against a bitmap of the cases taken — at most
    // a fraction W/(W + 1) of the cases, so a few draws each), give the first ones the last day and
    // so on by the day totals, and count them by grid. The labels stay read-only and shared.
    static void Permute(Random random, int[] labels, ulong[] taken, double[] counts, int[] inWindow, int stride)
    {
        Array.Clear(counts);
        Array.Clear(taken);
        var windows = inWindow.Length;
        for (int i = 0, w = 0; i < inWindow[windows - 1]; i++)
        {
            int j;
            do j = random.Next(labels.Length); while ((taken[j >> 6] & (1UL << j)) != 0);
            taken[j >> 6] |= 1UL << j;
            while (i >= inWindow[w]) w++;
            counts[labels[j] * stride + w]++;
        }
        for (var g = 0; g < counts.Length; g += stride)
            for (var w = 1; w < windows; w++) counts[g + w] += counts[g + w - 1];
    }

    // Padding lanes have count 0 and share 0, hence μ = 0 and no excess: they never pass the skip test.
    static double Maximise(Zones zones, double[] c, double[] totals, double[] share, double total, Vector<double>[] acc, CentreBest? best)
    {
        var members = zones.MemberTable;
        var sizes = zones.SizeTable;
        var k = zones.MaxSize;
        var vectors = acc.Length;
        var cv = MemoryMarshal.Cast<double, Vector<double>>(c.AsSpan());
        var sv = MemoryMarshal.Cast<double, Vector<double>>(share.AsSpan());
        var tv = new Vector<double>(total);
        var max = 0.0;
        for (var centre = 0; centre < sizes.Length; centre++)
        {
            var m = best is null ? max : 0;
            var mv = new Vector<double>(m);
            int bestSize = 0, bestWindow = 0;
            Array.Clear(acc);
            var zoneTotal = 0.0;
            for (var s = 0; s < sizes[centre]; s++)
            {
                var g = members[centre * k + s];
                zoneTotal += totals[g];
                var zv = new Vector<double>(zoneTotal);
                var row = g * vectors;
                for (var v = 0; v < vectors; v++)
                {
                    var cw = acc[v] += cv[row + v];
                    var mu = zv * sv[v];
                    var excess = cw - mu;
                    if (!Vector.GreaterThanAny(tv * excess * excess, mv * mu * (tv - mu))) continue;
                    for (var lane = 0; lane < Vector<double>.Count; lane++)
                    {
                        double cl = cw[lane], ml = mu[lane], el = excess[lane];
                        if (total * el * el <= m * ml * (total - ml) || el <= 0) continue;
                        var rest = total - cl;
                        var llr = cl * Math.Log(cl / ml) + (rest > 0 ? rest * Math.Log(rest / (total - ml)) : 0);
                        if (llr <= m) continue;
                        (m, bestSize, bestWindow) = (llr, s + 1, v * Vector<double>.Count + lane + 1);
                        mv = new Vector<double>(m);
                    }
                }
            }
            if (best is not null) (best.Score[centre], best.Size[centre], best.Window[centre]) = (m, bestSize, bestWindow);
            max = Math.Max(max, m);
        }
        return max;
    }

    static double ZoneTotal(Zones zones, int centre, int size, double[] totals)
    {
        var sum = 0.0;
        foreach (var g in zones.Members(centre, size)) sum += totals[g];
        return sum;
    }

    static void Check(Zones zones, GridDays cases, ScanOptions options)
    {
        Cylinders.CheckGrids(zones, cases, nameof(cases));
        options.Validate(cases.Days);
        if (options.MaxWindow >= cases.Days)
            throw new ArgumentException($"A {options.MaxWindow}-day window needs a longer study period than {cases.Days} days: the expectation comes from the days outside it.", nameof(cases));
        for (var g = 0; g < cases.Grids; g++)
            for (var d = 0; d < cases.Days; d++)
            {
                var x = cases[g, d];
                if (!(x >= 0 && x == Math.Floor(x) && x <= int.MaxValue))
                    throw new ArgumentException($"Cases of grid {zones.Grids[g].Code} on {cases.DateOf(d)} are {x}; they must be whole numbers, not negative.", nameof(cases));
            }
    }
}
