namespace Dispatch.EarlyWarning.Patterns;

/// <summary>Settings of the chance test of a repeat place.</summary>
/// <param name="BackgroundDays">Days before the window whose reports within the same radius make the place's background.</param>
/// <param name="Alpha">A repeat place is an alarm when its count is at most this likely by chance.</param>
public sealed record RepeatChanceOptions(int BackgroundDays = 56, double Alpha = 2e-6);

/// <summary>
/// Whether a repeat at one place is unlikely by chance (issue 15) — a Knox-type space–time
/// coincidence judged against the place's own background rather than a fixed count: the reports of
/// the window within the radius against those of the <see cref="RepeatChanceOptions.BackgroundDays"/>
/// before it at the same place, under a Poisson model with half a report added to the background, so
/// that a place with none yet is expected to have a little. Three reports in a week at a market gate
/// that has twenty every eight weeks are its ordinary week; four where there were none are not.
/// Every place with reports is tested every day, so α is a citywide figure: with ≈ 4,000 such places
/// a day, 2 × 10⁻⁶ is about one false repeat place in 120 days — a quarter of the city's budget of one
/// alarm day in 30 (docs/early-warning.md).
/// </summary>
public static class RepeatChance
{
    /// <summary>P(at least <paramref name="observed"/> reports in <paramref name="windowDays"/> days) at a place that had
    /// <paramref name="background"/> in the <paramref name="backgroundDays"/> before.</summary>
    public static double PValue(int observed, int background, int backgroundDays, int windowDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(observed);
        ArgumentOutOfRangeException.ThrowIfNegative(background);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(backgroundDays);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowDays);
        return UpperTail(observed, (background + 0.5) * windowDays / backgroundDays);
    }

    /// <summary>P(X ≥ k) for X ~ Poisson(λ), summed from k upwards (no cancellation for the small tails that matter).</summary>
    public static double UpperTail(int k, double lambda)
    {
        if (k <= 0) return 1;
        var term = Math.Exp(-lambda);
        for (var i = 1; i <= k; i++) term *= lambda / i;
        var sum = 0.0;
        for (var i = k; term > sum * 1e-17 && i < k + 1000; i++)
        {
            sum += term;
            term *= lambda / (i + 1);
        }
        return Math.Min(1, sum);
    }
}
