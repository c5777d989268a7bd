using Dispatch.EarlyWarning.Scan;
using MathNet.Numerics.Distributions;

namespace Dispatch.EarlyWarning;

/// <summary>The two control charts kept on every region's residuals.</summary>
public enum ChartMethod
{
    /// <summary>Negative-binomial likelihood-ratio CUSUM for a doubling (κ = 2, k = 0), <see cref="Cusum"/>.</summary>
    Cusum,
    /// <summary>EWMA of Pearson residuals, λ = 0.2, <see cref="Ewma"/>.</summary>
    Ewma,
}

/// <summary>Settings of <see cref="RegionCharts"/>.</summary>
/// <param name="TrainingDays">Days at the start of the history the baseline is fitted on; the rest are charted.</param>
/// <param name="Replicates">Signal-free cities drawn for the Monte Carlo null.</param>
/// <param name="Alpha">A region alarms when the chance that a signal-free city shows some region at
/// least this extreme on the judged day is below α: family-wise over all regions, so α = 0.01 is
/// about one false alarm day per 100 days citywide for each chart.</param>
/// <param name="MaxDegreeOfParallelism">Threads for the null.</param>
public sealed record RegionChartOptions(int TrainingDays = 35, int Replicates = 999, double Alpha = 0.01, int MaxDegreeOfParallelism = 1);

/// <summary>A region whose chart alarms on the judged day.</summary>
/// <param name="Region">Index into the regions charted.</param>
/// <param name="From">First day of the current excursion: the day after the statistic was last at or below 0.</param>
/// <param name="To">The judged day.</param>
/// <param name="Observed">Reports over From … To.</param>
/// <param name="Expected">The baseline's expectation over From … To.</param>
/// <param name="Score">The statistic on the judged day (CUSUM sum, EWMA value).</param>
/// <param name="Threshold">The score above which the day alarms: the null's (1 − α) quantile.</param>
/// <param name="PValue">Monte Carlo p-value of the score against the citywide maxima.</param>
public sealed record RegionChartAlarm(ChartMethod Method, int Region, DateOnly From, DateOnly To, double Observed, double Expected,
    double Score, double Threshold, double PValue, int Replicates, double Size);

/// <summary>
/// CUSUM and EWMA on every region's daily series against <see cref="RegionBaselines"/>, judged on
/// the last charted day, with thresholds from a Monte Carlo null instead of fixed h and L.
/// </summary>
/// <remarks>
/// <para>Why a null: the evaluation (<c>docs/early-warning.md</c>) calibrated these charts on a
/// signal-free year at 1,000 reports a day and found the citywide thresholds depend on the rate
/// and on how sparse the series are (village CUSUM h ≈ 9.2 at 1 false alarm day per 30, EWMA
/// ≈ 1.9); the design values h = 5, L = 3 alarm every few days somewhere among a thousand
/// villages. So, as for the scan: draw R signal-free cities from the day's baselines (NB counts
/// over the charted days), run the chart on each region without resets, keep each city's maximum
/// on the last day. A region alarms when its score ranks in the top α of those maxima. The null
/// depends on the baselines only, which change once a day: it is drawn nightly and kept.</para>
/// <para>Cost of the null: R × regions × days draws and chart steps — 999 × 1,041 × 28 ≈ 29 million,
/// about a second on one thread. Judging: one pass over the regions, microseconds.</para>
/// </remarks>
public static class RegionCharts
{
    /// <summary>Detector names in results and alerts.</summary>
    public const string CusumDetector = "nb-cusum", EwmaDetector = "ewma";

    static readonly CusumOptions CusumDesign = DetectorSettings.Production.Cusum;
    static readonly EwmaOptions EwmaDesign = DetectorSettings.Production.Ewma;
    static readonly double Shift = CusumDesign.Shift, Lambda = EwmaDesign.Lambda;

    /// <summary>The detector's name.</summary>
    public static string Detector(ChartMethod method) => method == ChartMethod.Cusum ? CusumDetector : EwmaDetector;

    /// <summary>Each region's chart over the charted days (scores, no resets).</summary>
    public static Judgement[] Chart(ChartMethod method, double[] observed, double[] expected, double size) => method == ChartMethod.Cusum
        ? Cusum.Run(observed, expected, size, CusumDesign)
        : Ewma.Run(observed, expected, size, EwmaDesign);

    /// <summary>Regions alarming on the last charted day, by descending score.</summary>
    public static IReadOnlyList<RegionChartAlarm> Judge(ChartMethod method, RegionBaselines baselines, double[][] observed, ScanNull nul, RegionChartOptions options)
    {
        if (observed.Length != baselines.Expected.Length) throw new ArgumentException($"{observed.Length} observed series for {baselines.Expected.Length} regions.", nameof(observed));
        if (nul.Fingerprint != baselines.Fingerprint(method, options))
            throw new ArgumentException("This null was drawn from other baselines or options; draw it again.", nameof(nul));
        var k = (int)Math.Ceiling(options.Alpha * (nul.Replicates + 1)) - 1;
        var threshold = k >= 1 && k <= nul.Replicates ? nul.SortedMaxima[nul.Replicates - k] : double.PositiveInfinity;
        var alarms = new List<RegionChartAlarm>();
        for (var r = 0; r < observed.Length; r++)
        {
            var days = Chart(method, observed[r], baselines.Expected[r], baselines.Size[r]);
            var score = days[^1].Score;
            if (!(score > 0)) continue;
            var p = nul.PValue(score);
            if (p >= options.Alpha) continue;
            var from = days.Length - 1;
            while (from > 0 && days[from - 1].Score > 0) from--;
            alarms.Add(new RegionChartAlarm(method, r, baselines.Start.AddDays(from), baselines.Start.AddDays(days.Length - 1),
                observed[r][from..].Sum(), baselines.Expected[r][from..].Sum(), score, threshold, p, nul.Replicates, baselines.Size[r]));
        }
        return [.. alarms.OrderByDescending(a => a.Score).ThenBy(a => a.Region)];
    }

    /// <summary>
    /// Draws both charts' nulls from the same R signal-free cities: NB(μ, θ) counts (Gamma–Poisson)
    /// for every region and charted day, each chart run without resets, the city's maximum of the
    /// last day's statistic kept. Replicate r uses its own seed from <paramref name="rng"/>, so the
    /// result does not depend on the threads.
    /// </summary>
    public static (ScanNull Cusum, ScanNull Ewma) Null(RegionBaselines baselines, RegionChartOptions options, Random rng)
    {
        var regions = baselines.Expected.Length;
        var days = baselines.Days;
        // Per region-day: the CUSUM increment a·y + b, the EWMA's μ and 1/sd, and e^−μ for Poisson draws.
        var slope = new double[regions * days];
        var intercept = new double[regions * days];
        var inverseSd = new double[regions * days];
        var none = new double[regions * days];
        for (var r = 0; r < regions; r++)
            for (var d = 0; d < days; d++)
            {
                var mu = baselines.Expected[r][d];
                (slope[r * days + d], intercept[r * days + d]) = CountModel.ShiftLogLikelihoodRatio(mu, baselines.Size[r], Shift);
                inverseSd[r * days + d] = 1 / Math.Sqrt(CountModel.Variance(mu, baselines.Size[r]));
                none[r * days + d] = Math.Exp(-mu);
            }

        var seeds = new int[options.Replicates];
        for (var i = 0; i < seeds.Length; i++) seeds[i] = rng.Next();
        var cusum = new double[options.Replicates];
        var ewma = new double[options.Replicates];
        Parallel.For(0, options.Replicates, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism }, i =>
        {
            var random = new Random(seeds[i]);
            double maxC = 0, maxE = double.NegativeInfinity;
            for (var r = 0; r < regions; r++)
            {
                var size = baselines.Size[r];
                double s = 0, e = 0;
                for (var d = 0; d < days; d++)
                {
                    var at = r * days + d;
                    var mu = baselines.Expected[r][d];
                    var y = double.IsPositiveInfinity(size)
                        ? ExpectationBasedScan.Poisson(random, mu, none[at])
                        : Draw(random, Gamma.Sample(random, size, size / mu));
                    s = Math.Max(0, s + slope[at] * y + intercept[at]);
                    e = Lambda * (y - mu) * inverseSd[at] + (1 - Lambda) * e;
                }
                maxC = Math.Max(maxC, s);
                maxE = Math.Max(maxE, e);
            }
            (cusum[i], ewma[i]) = (maxC, maxE);
        });
        Array.Sort(cusum);
        Array.Sort(ewma);
        return (new ScanNull(baselines.Fingerprint(ChartMethod.Cusum, options), cusum), new ScanNull(baselines.Fingerprint(ChartMethod.Ewma, options), ewma));
    }

    static int Draw(Random random, double mean) => ExpectationBasedScan.Poisson(random, mean, Math.Exp(-mean));
}
