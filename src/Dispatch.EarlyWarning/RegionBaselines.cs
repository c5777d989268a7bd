using System.IO.Hashing;
using System.Runtime.InteropServices;
using Dispatch.EarlyWarning.Scan;

namespace Dispatch.EarlyWarning;

/// <summary>
/// Expected daily counts of every region (village or township) over the charted days, and a
/// negative-binomial size per region: what the CUSUM and EWMA of <see cref="RegionCharts"/> judge
/// against, and all their Monte Carlo null depends on.
/// </summary>
/// <remarks>
/// As in the evaluation (<c>Dispatch.EarlyWarning.Evaluation/World.cs</c>): one <see cref="BaselineModel"/> fitted to the
/// citywide daily totals of the training days (weekday effects from 4 weeks on), times each
/// region's share of the training counts with half an incident added per grid (so a region with
/// none is not infinitely surprised by its first) — one well-estimated model instead of a thousand
/// noisy ones. θ per region by moments on the training days. The training days come first, the
/// charted days after them, so a signal being charted does not raise its own baseline.
/// </remarks>
public sealed class RegionBaselines
{
    RegionBaselines(DateOnly start, double[][] expected, double[] size, BaselineModel city) =>
        (Start, Expected, Size, City) = (start, expected, size, city);

    /// <summary>The first charted day.</summary>
    public DateOnly Start { get; }

    /// <summary>Charted days; the last is the day being judged.</summary>
    public int Days => Expected[0].Length;

    /// <summary>Expected count of region r on charted day d at [r][d].</summary>
    public double[][] Expected { get; }

    /// <summary>Negative-binomial size θ of each region (+∞: Poisson).</summary>
    public double[] Size { get; }

    /// <summary>The citywide model.</summary>
    public BaselineModel City { get; }

    /// <summary>
    /// Fits on the first <paramref name="trainingDays"/> days of <paramref name="counts"/> and charts
    /// the rest. Null when some training day has no report anywhere in the city: the platform was
    /// not running yet (or lost that day), and a baseline fitted on such days would make every
    /// ordinary day look like an outbreak.
    /// </summary>
    public static RegionBaselines? Fit(GridDays counts, IReadOnlyList<int[]> regions, int trainingDays)
    {
        if (trainingDays < 2 || trainingDays >= counts.Days)
            throw new ArgumentOutOfRangeException(nameof(trainingDays), trainingDays, $"Training needs 2 … {counts.Days - 1} of the {counts.Days} days.");
        if (regions.Count == 0) throw new ArgumentException("No regions to chart.", nameof(regions));
        var city = new double[trainingDays];
        var gridTotals = new double[counts.Grids];
        for (var g = 0; g < counts.Grids; g++)
            for (var t = 0; t < trainingDays; t++)
            {
                city[t] += counts[g, t];
                gridTotals[g] += counts[g, t];
            }
        if (city.Any(c => c == 0)) return null;

        var model = BaselineModel.Fit(counts.Start, city, BaselineModel.TermsFor(trainingDays));
        var cityExpected = model.Expected(counts.Start, counts.Days);
        var total = gridTotals.Sum() + 0.5 * counts.Grids;
        var charted = counts.Days - trainingDays;
        var expected = new double[regions.Count][];
        var size = new double[regions.Count];
        for (var r = 0; r < regions.Count; r++)
        {
            var share = regions[r].Sum(g => gridTotals[g] + 0.5) / total;
            expected[r] = [.. Enumerable.Range(trainingDays, charted).Select(d => share * cityExpected[d])];
            // θ by moments on the training days: Σ(y − μ)² = Σμ + Σμ²/θ; +∞ when no more variable than Poisson.
            double squares = 0, means = 0, meanSquares = 0;
            for (var t = 0; t < trainingDays; t++)
            {
                var y = 0.0;
                foreach (var g in regions[r]) y += counts[g, t];
                var mu = share * cityExpected[t];
                squares += (y - mu) * (y - mu);
                means += mu;
                meanSquares += mu * mu;
            }
            size[r] = squares > means ? Math.Max(0.5, meanSquares / (squares - means)) : double.PositiveInfinity;
        }
        return new RegionBaselines(counts.DateOf(trainingDays), expected, size, model);
    }

    /// <summary>Observed counts of every region over the charted days of <paramref name="counts"/>, [r][d].</summary>
    public double[][] Observed(GridDays counts, IReadOnlyList<int[]> regions)
    {
        var from = counts.Days - Days;
        if (counts.DateOf(from) != Start) throw new ArgumentException($"Counts chart from {counts.DateOf(from)}, the baselines from {Start}.", nameof(counts));
        return [.. regions.Select(grids => Enumerable.Range(from, Days).Select(d => grids.Sum(g => counts[g, d])).ToArray())];
    }

    /// <summary>
    /// XxHash3 of what a chart's null depends on: the method, R, and every expected count and size
    /// bit for bit. Stable across processes, so it can key a stored null.
    /// </summary>
    public ulong Fingerprint(ChartMethod method, RegionChartOptions options)
    {
        var hash = new XxHash3();
        hash.Append(MemoryMarshal.AsBytes<int>([(int)method, options.Replicates, Expected.Length, Days]));
        foreach (var e in Expected) hash.Append(MemoryMarshal.AsBytes(e.AsSpan()));
        hash.Append(MemoryMarshal.AsBytes(Size.AsSpan()));
        return hash.GetCurrentHashAsUInt64();
    }
}
