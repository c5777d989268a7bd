namespace Dispatch.EarlyWarning.Tests;

public class EwmaTests
{
    [Theory]
    [MemberData(nameof(CusumTests.Backgrounds), MemberType = typeof(CusumTests))]
    public void In_control_it_runs_at_least_100_days_between_alarms_on_average(double mean, double size)
    {
        var (counts, expected) = CusumTests.InControl(new Random(52), 100_000, mean, size);
        var days = Ewma.Run(counts, expected, size);

        Assert.True(CusumTests.RunLength(days) >= 100, $"average run length {CusumTests.RunLength(days):F0} days");
    }

    [Fact]
    public void A_doubling_of_a_mean_of_10_is_caught_within_4_days_on_average()
    {
        var delays = CusumTests.StepDelays(new Random(53), 10, (c, e) => Ewma.Run(c, e, double.PositiveInfinity));

        Assert.True(delays.Average() <= 4, $"mean delay {delays.Average():F2} days");
        Assert.True(delays.Max() <= 12, $"longest delay {delays.Max()} days");
    }

    [Fact]
    public void It_smooths_Pearson_residuals_against_a_limit_that_widens_to_its_asymptote()
    {
        // μ = 4, Poisson (sd 2), λ = 0.4, L = 2: limit_i = √(1 − 0.36^i); residuals 1, 1, −1, 2, 4, 0.
        var days = Ewma.Run([6, 6, 2, 8, 12, 4], [4, 4, 4, 4, 4, 4], double.PositiveInfinity, new EwmaOptions(Lambda: 0.4, L: 2));

        double[] scores = [0.4, 0.64, -0.016, 0.7904, 2.07424, 0];
        for (var i = 0; i < scores.Length; i++) Assert.Equal(scores[i], days[i].Score, 1e-12);
        Assert.Equal([false, false, false, false, true, false], days.Select(d => d.Alarm));
        Assert.Equal(4 + 5 * 0.8, days[0].Threshold, 1e-12);            // μ + σ·limit_1/λ
        Assert.Equal(4 + 5 * 0.8, days[5].Threshold, 1e-12);            // the clock restarts after the alarm
        Assert.Equal(4 + 5 * (Math.Sqrt(1 - 0.36 * 0.36) - 0.6 * 0.4), days[1].Threshold, 1e-12);
    }

    [Fact]
    public void Each_day_alarms_exactly_when_its_count_exceeds_its_threshold()
    {
        var (counts, expected) = CusumTests.InControl(new Random(54), 5_000, 3, 2);
        for (var t = 2_000; t < 2_030; t++) counts[t] *= 3;

        Assert.All(Ewma.Run(counts, expected, 2), d => Assert.Equal(d.Count > d.Threshold, d.Alarm));
    }

    [Fact]
    public void Options_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Ewma.Run([1], [1], 1, new EwmaOptions(Lambda: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ewma.Run([1], [1], 1, new EwmaOptions(L: -1)));
    }
}
