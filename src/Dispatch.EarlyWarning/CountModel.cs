namespace Dispatch.EarlyWarning;

/// <summary>
/// The negative-binomial family the CUSUM and EWMA judge against: mean μ and size θ
/// (R's <c>size</c>, MASS's <c>theta</c>), variance μ + μ²/θ; θ = +∞ is the Poisson.
/// </summary>
public static class CountModel
{
    /// <summary>Var(Y) = μ + μ²/θ.</summary>
    public static double Variance(double mean, double size) =>
        double.IsPositiveInfinity(size) ? mean : mean + mean * mean / size;

    /// <summary>Pearson residual (y − μ) / √Var(Y).</summary>
    public static double Pearson(double count, double mean, double size) =>
        (count - mean) / Math.Sqrt(Variance(mean, size));

    /// <summary>
    /// log f(y; κμ, θ) / f(y; μ, θ) = a·y + b, the log-likelihood ratio of a multiplicative shift κ
    /// of the mean at fixed size, as the pair (a, b). With θ = ∞: a = log κ, b = −(κ − 1)μ.
    /// </summary>
    public static (double Slope, double Intercept) ShiftLogLikelihoodRatio(double mean, double size, double shift)
    {
        if (double.IsPositiveInfinity(size)) return (Math.Log(shift), -(shift - 1) * mean);
        // log((θ + μ) / (θ + κμ)), written with log1p so that a large θ loses no precision.
        var ratio = Log1P((mean - shift * mean) / (size + shift * mean));
        return (Math.Log(shift) + ratio, size * ratio);
    }

    // log(1 + x) accurate for small x (Goldberg, "What every computer scientist should know about
    // floating-point arithmetic", 1991, theorem 4).
    static double Log1P(double x)
    {
        var u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    internal static void Validate(ReadOnlySpan<double> counts, ReadOnlySpan<double> expected, double size)
    {
        if (counts.Length != expected.Length)
            throw new ArgumentException($"{counts.Length} counts but {expected.Length} expected values; they must pair day by day.", nameof(expected));
        if (!(size > 0)) throw new ArgumentOutOfRangeException(nameof(size), size, "The negative-binomial size must be positive (+∞ for Poisson).");
        for (var i = 0; i < counts.Length; i++)
        {
            if (!double.IsFinite(counts[i]) || counts[i] < 0)
                throw new ArgumentException($"Count at day index {i} is {counts[i]}; counts must be finite and not negative.", nameof(counts));
            if (!double.IsFinite(expected[i]) || expected[i] <= 0)
                throw new ArgumentException($"Expected count at day index {i} is {expected[i]}; it must be positive and finite.", nameof(expected));
        }
    }
}
