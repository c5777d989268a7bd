namespace Dispatch.EarlyWarning;

/// <summary>EWMA design: smoothing λ in (0, 1] and limit width L in standard deviations of the EWMA.</summary>
/// <param name="ResetAfterAlarm">Restart at 0 (and restart the variance clock) after an alarm.</param>
public sealed record EwmaOptions(double Lambda = 0.2, double L = 3, bool ResetAfterAlarm = true)
{
    /// <summary>λ = 0.2, L = 3 (Lucas &amp; Saccucci's common choice); in-control run length ≈ 180–960 days on Poisson data of mean 0.2–50.</summary>
    public static EwmaOptions Default { get; } = new();
}

/// <summary>
/// Upper one-sided EWMA chart (Roberts 1959; Lucas &amp; Saccucci, Technometrics 1990) on Pearson
/// residuals r_t = (y_t − μ_t)/√(μ_t + μ_t²/θ): E_t = λ r_t + (1 − λ) E_{t−1}, E_0 = 0, alarm when
/// E_t &gt; L·√(λ/(2 − λ)·(1 − (1 − λ)^{2i})), the exact standard deviation after i days for
/// unit-variance residuals. Cost: O(n) time.
/// </summary>
public static class Ewma
{
    /// <summary>
    /// Judges every day. Score = E_t; threshold = the count above which the day alarms,
    /// μ_t + σ_t·(limit_t − (1 − λ)E_{t−1})/λ.
    /// </summary>
    public static Judgement[] Run(ReadOnlySpan<double> counts, ReadOnlySpan<double> expected, double size, EwmaOptions? options = null)
    {
        var o = options ?? EwmaOptions.Default;
        CountModel.Validate(counts, expected, size);
        if (!(o.Lambda > 0 && o.Lambda <= 1)) throw new ArgumentOutOfRangeException(nameof(o.Lambda), o.Lambda, "λ must lie in (0, 1].");
        if (!(o.L > 0) || !double.IsFinite(o.L)) throw new ArgumentOutOfRangeException(nameof(o.L), o.L, "L must be positive and finite.");

        var result = new Judgement[counts.Length];
        var e = 0.0;
        var days = 0;
        for (var t = 0; t < counts.Length; t++)
        {
            days++;
            var limit = o.L * Math.Sqrt(o.Lambda / (2 - o.Lambda) * (1 - Math.Pow(1 - o.Lambda, 2 * days)));
            var sd = Math.Sqrt(CountModel.Variance(expected[t], size));
            var threshold = expected[t] + sd * (limit - (1 - o.Lambda) * e) / o.Lambda;
            e = o.Lambda * (counts[t] - expected[t]) / sd + (1 - o.Lambda) * e;
            var alarm = e > limit;
            result[t] = new Judgement(t, counts[t], e, threshold, alarm);
            if (alarm && o.ResetAfterAlarm) (e, days) = (0, 0);
        }
        return result;
    }
}
