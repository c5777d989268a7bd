using MathNet.Numerics.Distributions;

namespace Dispatch.EarlyWarning.Evaluation;

/// <summary>
/// The background of docs/benchmarks.md: daily counts per grid with
/// λ_{g,t} = exp(α_g + β·t + γ_weekday + a·cos(2πt/365) + b·sin(2πt/365)).
/// </summary>
/// <param name="PerDay">Citywide mean incidents a day over the whole simulated period (200, 1,000 or 5,000).</param>
/// <param name="TrainingDays">Days before the test year (two years).</param>
/// <param name="TestDays">The test year, where thresholds are calibrated and signals injected.</param>
/// <param name="GridSpread">σ of α_g: grid rates are log-normal across grids (σ = 1 puts the busiest
/// 1 % of grids at about ten times the median).</param>
/// <param name="TrendPerYear">β, per year on the log scale.</param>
/// <param name="Weekday">γ, Monday … Sunday on the log scale (quieter weekends, as in call-centre data).</param>
/// <param name="Cos">a, the annual cosine amplitude (day 0 = 1 January: a winter high when positive).</param>
/// <param name="Sin">b, the annual sine amplitude.</param>
/// <param name="Size">Negative-binomial size θ of grid-day counts (variance μ + μ²/θ); +∞ is Poisson.</param>
public sealed record BackgroundOptions(
    double PerDay = 1000, int TrainingDays = 730, int TestDays = 365, double GridSpread = 1.0,
    double TrendPerYear = 0.05, double[]? Weekday = null, double Cos = -0.15, double Sin = 0.05,
    double Size = double.PositiveInfinity)
{
    /// <summary>Day 0 of the simulation, a Monday, so weekday effects line up with real calendars.</summary>
    public static readonly DateOnly Origin = new(2024, 1, 1);

    /// <summary>γ by default: Monday … Sunday.</summary>
    public static readonly double[] DefaultWeekday = [0.08, 0.04, 0.02, 0.02, 0.04, -0.08, -0.12];

    /// <summary>Training plus test days.</summary>
    public int Days => TrainingDays + TestDays;

    internal double[] Gamma => Weekday ?? DefaultWeekday;
}

/// <summary>
/// One realisation of the background: counts per grid-day (grid-major) and the true means, which
/// are separable, λ_{g,t} = R·w_g·m_t with Σ w_g = 1 and mean m_t = 1 over the period — so a
/// citywide log-linear model times each grid's share is a correctly specified baseline, and the
/// detectors are compared on signal, not on model error.
/// </summary>
public sealed class Background
{
    Background(BackgroundOptions options, double[] weights, double[] multipliers, int[] counts) =>
        (Options, Weights, Multipliers, Counts) = (options, weights, multipliers, counts);

    /// <summary>The settings it was drawn with.</summary>
    public BackgroundOptions Options { get; }

    /// <summary>w_g: each grid's share of the city (sums to 1).</summary>
    public double[] Weights { get; }

    /// <summary>m_t: the day's multiplier of the citywide mean (averages 1).</summary>
    public double[] Multipliers { get; }

    /// <summary>Counts, grid g on day t at <c>[g·Days + t]</c>.</summary>
    public int[] Counts { get; }

    /// <summary>Number of grids.</summary>
    public int Grids => Weights.Length;

    /// <summary>Days simulated.</summary>
    public int Days => Multipliers.Length;

    /// <summary>The true mean of grid g on day t.</summary>
    public double Mean(int grid, int day) => Options.PerDay * Weights[grid] * Multipliers[day];

    /// <summary>Count of grid g on day t.</summary>
    public int this[int grid, int day] => Counts[grid * Days + day];

    /// <summary>Draws a background for <paramref name="grids"/> grids. Cost: one draw per grid-day
    /// (4,122 × 1,095 ≈ 4.5 million, well under a second for Poisson).</summary>
    public static Background Generate(int grids, BackgroundOptions options, Random rng)
    {
        if (grids < 1) throw new ArgumentOutOfRangeException(nameof(grids), grids, "At least one grid.");
        if (!(options.PerDay > 0)) throw new ArgumentOutOfRangeException(nameof(options), options.PerDay, "The citywide rate must be positive.");
        if (options.Gamma.Length != 7) throw new ArgumentException("Seven weekday effects, Monday first.", nameof(options));
        if (!(options.Size > 0)) throw new ArgumentOutOfRangeException(nameof(options), options.Size, "θ must be positive (+∞ for Poisson).");

        var weights = new double[grids];
        for (var g = 0; g < grids; g++) weights[g] = Math.Exp(options.GridSpread * Normal.Sample(rng, 0, 1));
        var total = weights.Sum();
        for (var g = 0; g < grids; g++) weights[g] /= total;

        var days = options.Days;
        var m = new double[days];
        for (var t = 0; t < days; t++)
        {
            var weekday = ((int)BackgroundOptions.Origin.AddDays(t).DayOfWeek + 6) % 7; // Monday = 0
            var angle = 2 * Math.PI * t / 365;
            m[t] = Math.Exp(options.TrendPerYear * t / 365 + options.Gamma[weekday] + options.Cos * Math.Cos(angle) + options.Sin * Math.Sin(angle));
        }
        var mean = m.Average();
        for (var t = 0; t < days; t++) m[t] /= mean;

        var counts = new int[checked(grids * days)];
        for (var g = 0; g < grids; g++)
            for (var t = 0; t < days; t++)
            {
                var mu = options.PerDay * weights[g] * m[t];
                // NB as a gamma–Poisson mixture: μ·G with G ~ Gamma(θ, θ) has variance μ + μ²/θ.
                if (double.IsFinite(options.Size)) mu *= Gamma.Sample(rng, options.Size, options.Size);
                counts[g * days + t] = Draw.Poisson(rng, mu);
            }
        return new Background(options, weights, m, counts);
    }
}

static class Draw
{
    // Inversion from P(0) = e^−μ (Devroye 1986, §X.3): one uniform and 1 + μ steps on average,
    // the fastest exact method for the small means most grid-days have; MathNet above 30.
    public static int Poisson(Random rng, double mean)
    {
        if (mean <= 0) return 0;
        if (mean >= 30) return MathNet.Numerics.Distributions.Poisson.Sample(rng, mean);
        var u = rng.NextDouble();
        var k = 0;
        double p = Math.Exp(-mean), cdf = p;
        while (u > cdf && p > 0)
        {
            k++;
            p *= mean / k;
            cdf += p;
        }
        return k;
    }
}
