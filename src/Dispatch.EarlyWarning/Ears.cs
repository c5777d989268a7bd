using MathNet.Numerics.Distributions;

namespace Dispatch.EarlyWarning;

/// <summary>
/// Settings of the EARS detectors, named as in R's <c>surveillance::earsC</c>.
/// </summary>
/// <param name="Baseline">Days in the reference window (R: <c>baseline</c>, at least 3).</param>
/// <param name="Alpha">C1/C2 threshold is <c>mean + qnorm(1 - Alpha) · max(sd, MinSigma)</c>.</param>
/// <param name="MinSigma">Floor on the standard deviation (R: <c>minSigma</c>; 0 leaves it as is).</param>
public sealed record EarsOptions(int Baseline = 7, double Alpha = 0.001, double MinSigma = 0)
{
    /// <summary>R's defaults: a 7-day baseline and <c>alpha = 0.001</c>.</summary>
    public static EarsOptions Default { get; } = new();
}

/// <summary>
/// The CDC's Early Aberration Reporting System detectors (Hutwagner et al., "The bioterrorism
/// preparedness and response Early Aberration Reporting System (EARS)", J Urban Health 2003;
/// Fricker, Hegler &amp; Dunfee, Stat Med 2008) on a daily count series.
/// </summary>
/// <remarks>
/// C1 and C2 reproduce R's <c>surveillance::earsC</c> (1.20): day t is judged against the sample
/// mean and sample standard deviation (n − 1) of the <c>Baseline</c> days before it — directly
/// before for C1, with a 2-day guard band for C2 — and alarms when <c>count &gt; mean + z·sd</c>,
/// z = <c>qnorm(1 − alpha)</c>, strictly greater as in R. C1 judges from day <c>Baseline + 1</c>
/// and C2 from day <c>Baseline + 3</c> (1-based), exactly R's default range. When sd = 0 the
/// threshold is the mean, as in R, and a count above it alarms; the score is then +∞ (above),
/// −∞ (below) or 0 (equal) rather than R's undefined quotient. C3 follows Hutwagner's published
/// definition (not R's C3). A series too short to judge any day gives no judgements (R stops with
/// an error there). Cost: O(n · Baseline) time, one array of results.
/// </remarks>
public static class Ears
{
    const int C2Guard = 2;
    const double C3Limit = 2;

    /// <summary>EARS C1: baseline = the <c>Baseline</c> days just before the day.</summary>
    public static Judgement[] C1(ReadOnlySpan<double> counts, EarsOptions? options = null) =>
        Standardised(counts, guard: 0, options ?? EarsOptions.Default);

    /// <inheritdoc cref="C1(ReadOnlySpan{double}, EarsOptions?)"/>
    public static Judgement[] C1(ReadOnlySpan<int> counts, EarsOptions? options = null) => C1(AsDoubles(counts), options);

    /// <summary>EARS C2: baseline = days t − Baseline − 2 … t − 3 (a 2-day guard band).</summary>
    public static Judgement[] C2(ReadOnlySpan<double> counts, EarsOptions? options = null) =>
        Standardised(counts, guard: C2Guard, options ?? EarsOptions.Default);

    /// <inheritdoc cref="C2(ReadOnlySpan{double}, EarsOptions?)"/>
    public static Judgement[] C2(ReadOnlySpan<int> counts, EarsOptions? options = null) => C2(AsDoubles(counts), options);

    /// <summary>
    /// EARS C3 as published (Hutwagner et al. 2003): score = Σ over the day and the two before it
    /// of max(0, C2 − 1), alarming when the score exceeds 2. Judges from day <c>Baseline + 5</c>
    /// (1-based), the first day with three C2 values. <c>Alpha</c> does not enter. The threshold is
    /// the count above which the day alarms given the two earlier days' share L:
    /// <c>mean + sd·(3 − L)</c>, or −∞ once L &gt; 2. R's <c>earsC(method = "C3")</c> computes a
    /// different quantity and is not the reference here.
    /// </summary>
    public static Judgement[] C3(ReadOnlySpan<double> counts, EarsOptions? options = null)
    {
        var o = options ?? EarsOptions.Default;
        var c2 = Standardised(counts, C2Guard, o);
        if (c2.Length < 3) return [];
        var result = new Judgement[c2.Length - 2];
        for (var i = 0; i < result.Length; i++)
        {
            var today = c2[i + 2];
            var earlier = Excess(c2[i].Score) + Excess(c2[i + 1].Score);
            var score = earlier + Excess(today.Score);
            var threshold = earlier > C3Limit
                ? double.NegativeInfinity
                : WindowMean(counts, today.Day, C2Guard, o.Baseline) + Sigma(counts, today.Day, C2Guard, o) * (C3Limit + 1 - earlier);
            result[i] = new Judgement(today.Day, today.Count, score, threshold, score > C3Limit);
        }
        return result;
    }

    /// <inheritdoc cref="C3(ReadOnlySpan{double}, EarsOptions?)"/>
    public static Judgement[] C3(ReadOnlySpan<int> counts, EarsOptions? options = null) => C3(AsDoubles(counts), options);

    /// <summary><c>qnorm(1 − alpha)</c>, the standard normal quantile the C1/C2 threshold uses.</summary>
    public static double Z(double alpha) => Normal.InvCDF(0, 1, 1 - alpha);

    static Judgement[] Standardised(ReadOnlySpan<double> counts, int guard, EarsOptions o)
    {
        Validate(counts, o);
        var first = o.Baseline + guard;
        if (counts.Length <= first) return [];
        var z = Z(o.Alpha);
        var result = new Judgement[counts.Length - first];
        for (var t = first; t < counts.Length; t++)
        {
            var mean = WindowMean(counts, t, guard, o.Baseline);
            var sigma = Sigma(counts, t, guard, o);
            var threshold = mean + z * sigma;
            result[t - first] = new Judgement(t, counts[t], Standardise(counts[t], mean, sigma), threshold, counts[t] > threshold);
        }
        return result;
    }

    static ReadOnlySpan<double> Window(ReadOnlySpan<double> counts, int t, int guard, int baseline) =>
        counts.Slice(t - guard - baseline, baseline);

    static double WindowMean(ReadOnlySpan<double> counts, int t, int guard, int baseline)
    {
        var sum = 0.0;
        foreach (var x in Window(counts, t, guard, baseline)) sum += x;
        return sum / baseline;
    }

    // Sample standard deviation (n − 1), two-pass as R's var() does, floored at MinSigma as R's pmax.
    static double Sigma(ReadOnlySpan<double> counts, int t, int guard, EarsOptions o)
    {
        var mean = WindowMean(counts, t, guard, o.Baseline);
        var squares = 0.0;
        foreach (var x in Window(counts, t, guard, o.Baseline)) squares += (x - mean) * (x - mean);
        return Math.Max(Math.Sqrt(squares / (o.Baseline - 1)), o.MinSigma);
    }

    static double Standardise(double x, double mean, double sigma) =>
        sigma > 0 ? (x - mean) / sigma : x > mean ? double.PositiveInfinity : x < mean ? double.NegativeInfinity : 0;

    static double Excess(double c2) => Math.Max(0, c2 - 1);

    static void Validate(ReadOnlySpan<double> counts, EarsOptions o)
    {
        if (o.Baseline < 3) throw new ArgumentOutOfRangeException(nameof(o.Baseline), o.Baseline, "The EARS baseline must be at least 3 days (as in R).");
        if (!(o.Alpha > 0 && o.Alpha < 1)) throw new ArgumentOutOfRangeException(nameof(o.Alpha), o.Alpha, "Alpha must lie strictly between 0 and 1.");
        if (!(o.MinSigma >= 0)) throw new ArgumentOutOfRangeException(nameof(o.MinSigma), o.MinSigma, "MinSigma must not be negative.");
        for (var i = 0; i < counts.Length; i++)
            if (!double.IsFinite(counts[i])) throw new ArgumentException($"Count at day index {i} is {counts[i]}; counts must be finite.", nameof(counts));
    }

    static double[] AsDoubles(ReadOnlySpan<int> counts)
    {
        var d = new double[counts.Length];
        for (var i = 0; i < d.Length; i++) d[i] = counts[i];
        return d;
    }
}
