using Dispatch.EarlyWarning.Evaluation;

namespace Dispatch.EarlyWarning.Tests.Evaluation;

public class BackgroundTests
{
    [Fact]
    public void Counts_have_the_means_the_generator_claims()
    {
        // 480 grids × 1,095 days at 200 a day: 219,000 incidents. Poisson, so the total's standard
        // error is √219,000 ≈ 468, 0.2 %: 1 % is five standard errors.
        var b = Background.Generate(480, new BackgroundOptions(PerDay: 200), new Random(1));
        Assert.Equal(1.0, b.Weights.Sum(), 1e-9);
        Assert.Equal(1.0, b.Multipliers.Average(), 1e-9);
        var observed = b.Counts.Sum(c => (double)c);
        var expected = 0.0;
        for (var g = 0; g < b.Grids; g++)
            for (var t = 0; t < b.Days; t++) expected += b.Mean(g, t);
        Assert.Equal(200.0 * b.Days, expected, 1e-6 * expected);
        Assert.InRange(observed / expected, 0.99, 1.01);

        // Per grid: the busiest grid's count is within 5 Poisson standard errors of its mean.
        var busiest = Enumerable.Range(0, b.Grids).MaxBy(g => b.Weights[g]);
        var grid = Enumerable.Range(0, b.Days).Sum(t => (double)b[busiest, t]);
        var mean = Enumerable.Range(0, b.Days).Sum(t => b.Mean(busiest, t));
        Assert.InRange(grid, mean - 5 * Math.Sqrt(mean), mean + 5 * Math.Sqrt(mean));
    }

    [Fact]
    public void Weekday_and_trend_come_out_of_the_baseline_fit()
    {
        // The citywide model fitted on the training years recovers β and γ within a few standard errors.
        var w = SmallCity.World;
        var beta = w.Model.Coefficients;
        Assert.InRange(beta[1], 0.05 - 0.03, 0.05 + 0.03);                 // trend per year
        var sunday = beta[7];                                                // Sunday − Monday
        Assert.InRange(sunday, -0.20 - 0.03, -0.20 + 0.03);
    }

    [Fact]
    public void Negative_binomial_counts_are_overdispersed_as_claimed()
    {
        // One grid at about 10 a day with θ = 2: variance μ + μ²/θ ≈ 60 against 10 for Poisson.
        var options = new BackgroundOptions(PerDay: 10, TrainingDays: 3000, TestDays: 1, GridSpread: 0, TrendPerYear: 0, Weekday: [0, 0, 0, 0, 0, 0, 0], Cos: 0, Sin: 0, Size: 2);
        var b = Background.Generate(1, options, new Random(3));
        var xs = b.Counts.Select(c => (double)c).ToArray();
        var mean = xs.Average();
        var variance = xs.Sum(x => (x - mean) * (x - mean)) / (xs.Length - 1);
        Assert.InRange(mean, 9.5, 10.5);
        Assert.InRange(variance, 50, 70);
    }
}
