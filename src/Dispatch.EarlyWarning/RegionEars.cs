using System.IO.Hashing;
using System.Runtime.InteropServices;
using Dispatch.EarlyWarning.Scan;
using MathNet.Numerics.Distributions;

namespace Dispatch.EarlyWarning;

/// <summary>
/// EARS C2 on every village's and township's daily series, judged against the citywide maximum of
/// a signal-free city instead of R's α = 0.001 per series (issue 15). At α = 0.001 on ≈ 1,100 series
/// the city alarmed on every replayed day of a generated year (5–15 false alarms a day: small
/// counts are far from the normal the per-series threshold assumes). Here R signal-free cities are
/// drawn from the villages' baselines (<see cref="RegionBaselines"/>: NB counts for the last
/// 7 + 2 + 1 days), C2 is computed for every village and township (the sum of its villages) as the
/// live run does, and each replicate keeps the city's largest C2 among series with at least
/// <c>minCount</c> reports on the day; a live series alarms when its C2 is as rare as α against
/// those maxima. The threshold thus accounts for the number of series and their sparseness.
/// </summary>
public static class RegionEars
{
    public const string Detector = "ears-c2";

    /// <summary>The days C2 reads: its 7-day baseline, the 2-day guard band, and the day judged.</summary>
    public static int Span(EarsOptions ears) => ears.Baseline + 3;

    /// <summary>C2 of the last day of <paramref name="lastDays"/> (at least <see cref="Span"/> long).</summary>
    public static double Score(ReadOnlySpan<double> lastDays, EarsOptions ears)
    {
        var judged = Ears.C2(lastDays[^Span(ears)..], ears);
        return judged.Length == 0 ? double.NaN : judged[^1].Score;
    }

    /// <summary>The citywide maxima of C2 on the last charted day of <paramref name="replicates"/> signal-free cities.</summary>
    public static ScanNull Null(RegionBaselines villages, IReadOnlyList<int[]> townships, EarsOptions ears, int replicates, int minCount,
        int maxDegreeOfParallelism, Random rng)
    {
        var span = Span(ears);
        var first = villages.Days - span;
        if (first < 0) throw new ArgumentException($"The baselines chart {villages.Days} days; C2 needs {span}.", nameof(villages));
        var seeds = new int[replicates];
        for (var i = 0; i < seeds.Length; i++) seeds[i] = rng.Next();
        var maxima = new double[replicates];
        Parallel.For(0, replicates, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, i =>
        {
            var random = new Random(seeds[i]);
            var series = new double[villages.Expected.Length][];
            var max = double.NegativeInfinity;
            for (var r = 0; r < series.Length; r++)
            {
                var s = series[r] = new double[span];
                var size = villages.Size[r];
                for (var d = 0; d < span; d++)
                {
                    var mu = villages.Expected[r][first + d];
                    s[d] = double.IsPositiveInfinity(size)
                        ? ExpectationBasedScan.Poisson(random, mu, Math.Exp(-mu))
                        : Draw(random, Gamma.Sample(random, size, size / mu));
                }
                if (s[^1] >= minCount) max = Math.Max(max, Score(s, ears));
            }
            var sum = new double[span];
            foreach (var township in townships)
            {
                Array.Clear(sum);
                foreach (var v in township)
                    for (var d = 0; d < span; d++) sum[d] += series[v][d];
                if (sum[^1] >= minCount) max = Math.Max(max, Score(sum, ears));
            }
            maxima[i] = max;
        });
        Array.Sort(maxima);
        return new ScanNull(Fingerprint(villages, townships, ears, replicates, minCount), maxima);
    }

    /// <summary>XxHash3 of all the null depends on: the last days' expected counts and sizes, the townships, C2's options, R.</summary>
    public static ulong Fingerprint(RegionBaselines villages, IReadOnlyList<int[]> townships, EarsOptions ears, int replicates, int minCount)
    {
        var span = Span(ears);
        var hash = new XxHash3();
        hash.Append(MemoryMarshal.AsBytes<int>([0xEA25, replicates, minCount, ears.Baseline, villages.Expected.Length, townships.Count]));
        hash.Append(MemoryMarshal.AsBytes<double>([ears.Alpha, ears.MinSigma]));
        foreach (var e in villages.Expected) hash.Append(MemoryMarshal.AsBytes(e.AsSpan(e.Length - span)));
        hash.Append(MemoryMarshal.AsBytes(villages.Size.AsSpan()));
        foreach (var t in townships) hash.Append(MemoryMarshal.AsBytes(t.AsSpan()));
        return hash.GetCurrentHashAsUInt64();
    }

    static int Draw(Random random, double mean) => ExpectationBasedScan.Poisson(random, mean, Math.Exp(-mean));
}
