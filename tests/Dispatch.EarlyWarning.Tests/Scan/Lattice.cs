using Dispatch.EarlyWarning.Scan;
using MathNet.Numerics.Distributions;

namespace Dispatch.EarlyWarning.Tests.Scan;

/// <summary>Synthetic grids: a rows × columns lattice near Hebi, and Poisson counts on it.</summary>
static class Lattice
{
    public static readonly DateOnly Start = new(2026, 3, 1);
    const double MetresPerDegreeLat = 111_195;

    /// <summary>Grid (r, c) at index r·columns + c, <paramref name="spacing"/> metres apart, each moved
    /// by up to <paramref name="jitter"/> of the spacing so that distances do not tie.</summary>
    public static GridPoint[] Points(int rows, int columns, double spacing = 500, double jitter = 0, Random? rng = null)
    {
        const double lat0 = 35.75, lon0 = 114.3;
        var metresPerDegreeLon = MetresPerDegreeLat * Math.Cos(lat0 * Math.PI / 180);
        var points = new GridPoint[rows * columns];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
            {
                double dx = 0, dy = 0;
                if (jitter > 0) (dx, dy) = ((rng!.NextDouble() - 0.5) * 2 * jitter, (rng.NextDouble() - 0.5) * 2 * jitter);
                points[r * columns + c] = new GridPoint($"G{r:D2}{c:D2}", lon0 + (c + dx) * spacing / metresPerDegreeLon, lat0 + (r + dy) * spacing / MetresPerDegreeLat);
            }
        return points;
    }

    /// <summary>Expected counts b(g, d) = level_g · weekday(d): grid levels log-normal around <paramref name="mean"/>.</summary>
    public static GridDays Baselines(Random rng, int grids, int days, double mean, double spread = 0.5)
    {
        var b = new GridDays(Start, grids, days);
        for (var g = 0; g < grids; g++)
        {
            var level = mean * Math.Exp(spread * Normal.Sample(rng, 0, 1) - spread * spread / 2);
            for (var d = 0; d < days; d++) b[g, d] = level * (Start.AddDays(d).DayOfWeek == DayOfWeek.Sunday ? 0.7 : 1.05);
        }
        return b;
    }

    /// <summary>Poisson counts of the given means, times <paramref name="factor"/> for the grids of <paramref name="cluster"/> on the last <paramref name="days"/> days.</summary>
    public static GridDays Counts(Random rng, GridDays means, IReadOnlyCollection<int>? cluster = null, int days = 0, double factor = 1)
    {
        var counts = new GridDays(means.Start, means.Grids, means.Days);
        for (var g = 0; g < means.Grids; g++)
            for (var d = 0; d < means.Days; d++)
            {
                var boost = cluster is not null && cluster.Contains(g) && d >= means.Days - days ? factor : 1;
                counts[g, d] = Poisson.Sample(rng, means[g, d] * boost);
            }
        return counts;
    }

    /// <summary>Share of <paramref name="found"/> in <paramref name="truth"/> (precision) and of the truth found (recall).</summary>
    public static (double Precision, double Recall) Overlap(IEnumerable<string> found, IEnumerable<string> truth)
    {
        var f = found.ToHashSet();
        var t = truth.ToHashSet();
        var hits = f.Count(t.Contains);
        return ((double)hits / f.Count, (double)hits / t.Count);
    }
}

/// <summary>One-sample Kolmogorov–Smirnov test against U(0, 1).</summary>
static class KolmogorovSmirnov
{
    /// <summary>D = sup |F_n(x) − x| and its asymptotic p-value with Stephens' small-sample
    /// correction (Stephens, JRSS B 1970): P(K &gt; (√n + 0.12 + 0.11/√n)·D).</summary>
    public static (double D, double P) Uniform(IEnumerable<double> sample)
    {
        var x = sample.Order().ToArray();
        var n = x.Length;
        var d = 0.0;
        for (var i = 0; i < n; i++) d = Math.Max(d, Math.Max((i + 1.0) / n - x[i], x[i] - (double)i / n));
        var t = (Math.Sqrt(n) + 0.12 + 0.11 / Math.Sqrt(n)) * d;
        var p = 0.0;
        for (var k = 1; k <= 100; k++) p += 2 * (k % 2 == 1 ? 1 : -1) * Math.Exp(-2 * k * k * t * t);
        return (d, Math.Clamp(p, 0, 1));
    }

    /// <summary>
    /// A Monte Carlo p-value made continuous: with E replicates above the observed score and T tied,
    /// the observed value's rank among the R + 1 exchangeable values, ties broken at random, is
    /// uniform, so (E + V)/(R + 1) with V ~ U(0, T + 1) is exactly U(0, 1) under the null. This
    /// removes the 1/(R + 1) steps and the ties that would make a KS test against U(0, 1) reject.
    /// </summary>
    public static double Randomised(ScanCluster top, Random rng) =>
        (top.Exceeding + rng.NextDouble() * (top.Tied + 1)) / (top.Replicates + 1.0);
}
