using MathNet.Numerics.LinearAlgebra;

namespace Dispatch.EarlyWarning;

/// <summary>Terms of the log-linear baseline; the intercept is always there.</summary>
[Flags]
public enum BaselineTerms
{
    /// <summary>Intercept only: a constant expected count.</summary>
    Level = 0,
    /// <summary>Linear trend in time (per year on the log scale).</summary>
    Trend = 1,
    /// <summary>Day-of-week effects (Monday is the reference).</summary>
    Weekday = 2,
    /// <summary>Annual cycle: cos and sin of 2πt/365.25.</summary>
    Annual = 4,
    /// <summary>Trend, weekday and annual terms.</summary>
    All = Trend | Weekday | Annual,
}

/// <summary>
/// Expected daily counts from a negative-binomial log-linear model,
/// log μ_t = α + β·t + γ_weekday(t) + a·cos(2πt/365.25) + b·sin(2πt/365.25),
/// the background of docs/benchmarks.md. Fitted by iteratively reweighted least squares (McCullagh &amp;
/// Nelder, Generalized Linear Models, 1989, §2.5) with negative-binomial weights μ/(1 + μ/θ),
/// alternating with the moment estimate of θ that sets the Pearson χ² to its degrees of freedom
/// (MASS's <c>theta.mm</c>); θ = +∞ (Poisson) when the data show no overdispersion. This is the
/// fixed point R reaches by alternating <c>glm(family = negative.binomial(θ))</c> and
/// <c>theta.mm</c>. Each step solves the p × p normal equations by Cholesky (MathNet): cost
/// O(n·p²) per iteration, p ≤ 10, typically 10–30 iterations (about a millisecond for two years).
/// </summary>
public sealed class BaselineModel
{
    const double DaysPerYear = 365.25;
    const int MaxIterations = 100;

    readonly double[] coefficients;

    BaselineModel(DateOnly origin, BaselineTerms terms, double[] coefficients, double size) =>
        (Origin, Terms, this.coefficients, Size) = (origin, terms, coefficients, size);

    /// <summary>Day t = 0 of the trend and of the annual cycle: the first training day.</summary>
    public DateOnly Origin { get; }

    /// <summary>The terms the model has.</summary>
    public BaselineTerms Terms { get; }

    /// <summary>Negative-binomial size θ (variance μ + μ²/θ); +∞ means Poisson.</summary>
    public double Size { get; }

    /// <summary>Log-scale coefficients: intercept, then trend (per year), Tuesday … Sunday against
    /// Monday, cos, sin — each only when its term is present.</summary>
    public IReadOnlyList<double> Coefficients => coefficients;

    /// <summary>The terms a training window of this many days supports: weekday effects from 4
    /// weeks, trend and annual cycle from a full year (a shorter window cannot tell them apart).</summary>
    public static BaselineTerms TermsFor(int trainingDays) =>
        (trainingDays >= 28 ? BaselineTerms.Weekday : BaselineTerms.Level)
        | (trainingDays >= 365 ? BaselineTerms.Trend | BaselineTerms.Annual : BaselineTerms.Level);

    /// <summary>Fits the model to consecutive daily counts starting on <paramref name="start"/>.</summary>
    public static BaselineModel Fit(DateOnly start, ReadOnlySpan<double> counts, BaselineTerms terms = BaselineTerms.All)
    {
        Validate(counts, terms);
        var y = counts.ToArray();
        var x = Enumerable.Range(0, y.Length).Select(i => Row(start, start.AddDays(i), terms)).ToArray();
        var beta = new double[x[0].Length];
        beta[0] = Math.Log(y.Average());
        var mu = Means(x, beta);
        var size = double.PositiveInfinity;
        // IRLS steps with θ re-estimated after each: the fixed point is the NB fit at the moment θ.
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var next = WeightedLeastSquares(x, y, mu, size);
            var change = next.Zip(beta, (a, b) => Math.Abs(a - b)).Max();
            beta = next;
            mu = Means(x, beta);
            var nextSize = MomentSize(y, mu, beta.Length, size);
            var settled = nextSize == size || (double.IsFinite(nextSize) && double.IsFinite(size) && Math.Abs(nextSize - size) <= 1e-9 * size);
            size = nextSize;
            if (settled && change <= 1e-10 * (1 + beta.Max(Math.Abs))) break;
        }
        return new BaselineModel(start, terms, beta, size);
    }

    /// <summary>The expected count on a date (before, inside or after the training window).</summary>
    public double Expected(DateOnly date)
    {
        var row = Row(Origin, date, Terms);
        var eta = 0.0;
        for (var j = 0; j < row.Length; j++) eta += row[j] * coefficients[j];
        return Math.Exp(eta);
    }

    /// <summary>Expected counts for <paramref name="days"/> consecutive days from <paramref name="start"/>.</summary>
    public double[] Expected(DateOnly start, int days) => [.. Enumerable.Range(0, days).Select(d => Expected(start.AddDays(d)))];

    static double[] Means(double[][] x, double[] beta)
    {
        var mu = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var eta = 0.0;
            for (var j = 0; j < beta.Length; j++) eta += x[i][j] * beta[j];
            mu[i] = Math.Exp(eta);
        }
        return mu;
    }

    // One IRLS step: solve (X'WX) β = X'Wz with w = μ/(1 + μ/θ), z = η + (y − μ)/μ (normal
    // equations of at most 10 columns, by Cholesky).
    static double[] WeightedLeastSquares(double[][] x, double[] y, double[] mu, double size)
    {
        var p = x[0].Length;
        var a = new double[p, p];
        var b = new double[p];
        for (var i = 0; i < y.Length; i++)
        {
            var w = double.IsPositiveInfinity(size) ? mu[i] : mu[i] / (1 + mu[i] / size);
            var z = Math.Log(mu[i]) + (y[i] - mu[i]) / mu[i];
            var row = x[i];
            for (var j = 0; j < p; j++)
            {
                if (row[j] == 0) continue;
                b[j] += w * row[j] * z;
                for (var k = 0; k <= j; k++) a[j, k] += w * row[j] * row[k];
            }
        }
        for (var j = 0; j < p; j++)
            for (var k = 0; k < j; k++) a[k, j] = a[j, k];
        return Matrix<double>.Build.DenseOfArray(a).Cholesky().Solve(Vector<double>.Build.DenseOfArray(b)).ToArray();
    }

    // θ such that Σ (y − μ)² / (μ + μ²/θ) = n − p. The left side grows with θ; Newton's method on
    // u = log θ from the previous θ, kept inside a shrinking bracket (bisection when it strays).
    static double MomentSize(double[] y, double[] mu, int parameters, double previous)
    {
        var dof = y.Length - parameters;
        (double Value, double Slope) Excess(double u)
        {
            var size = Math.Exp(u);
            double value = -dof, slope = 0;
            for (var i = 0; i < y.Length; i++)
            {
                var squared = (y[i] - mu[i]) * (y[i] - mu[i]);
                var variance = mu[i] + mu[i] * mu[i] / size;
                value += squared / variance;
                slope += squared * (mu[i] * mu[i] / size) / (variance * variance);
            }
            return (value, slope);
        }
        var poisson = 0.0;
        for (var i = 0; i < y.Length; i++) poisson += (y[i] - mu[i]) * (y[i] - mu[i]) / mu[i];
        if (poisson <= dof) return double.PositiveInfinity;

        double low = Math.Log(1e-8), high = Math.Log(1e12);
        var u = double.IsFinite(previous) ? Math.Clamp(Math.Log(previous), low, high) : 0;
        for (var i = 0; i < 200 && high - low > 1e-12; i++)
        {
            var (value, slope) = Excess(u);
            if (value < 0) low = u; else high = u;
            var next = u - value / slope;
            if (!(next > low && next < high)) next = (low + high) / 2;
            if (Math.Abs(next - u) <= 1e-12 * (1 + Math.Abs(u))) return Math.Exp(next);
            u = next;
        }
        return Math.Exp(u);
    }

    static readonly DayOfWeek[] NotMonday =
        [DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    static double[] Row(DateOnly origin, DateOnly date, BaselineTerms terms)
    {
        var t = date.DayNumber - origin.DayNumber;
        var row = new List<double>(10) { 1 };
        if (terms.HasFlag(BaselineTerms.Trend)) row.Add(t / DaysPerYear);
        if (terms.HasFlag(BaselineTerms.Weekday))
            foreach (var day in NotMonday) row.Add(date.DayOfWeek == day ? 1 : 0);
        if (terms.HasFlag(BaselineTerms.Annual))
        {
            row.Add(Math.Cos(2 * Math.PI * t / DaysPerYear));
            row.Add(Math.Sin(2 * Math.PI * t / DaysPerYear));
        }
        return [.. row];
    }

    static void Validate(ReadOnlySpan<double> counts, BaselineTerms terms)
    {
        var least = terms.HasFlag(BaselineTerms.Annual) ? 365 : terms != BaselineTerms.Level ? 28 : 2;
        if (counts.Length < least)
            throw new ArgumentException($"{counts.Length} training days cannot support the terms {terms}: they need at least {least}.", nameof(counts));
        var total = 0.0;
        foreach (var c in counts)
        {
            if (!double.IsFinite(c) || c < 0) throw new ArgumentException($"Training count {c} is not a finite non-negative number.", nameof(counts));
            total += c;
        }
        if (total == 0) throw new ArgumentException("The training window has no counts at all, so no positive expected count can be fitted.", nameof(counts));
    }
}
