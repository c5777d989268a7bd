using MathNet.Numerics.Distributions;

namespace Dispatch.EarlyWarning.Tests;

public class CusumTests
{
    public static TheoryData<double, double> Backgrounds => new()
    {
        { 0.3, double.PositiveInfinity }, { 2, double.PositiveInfinity }, { 10, double.PositiveInfinity },
        { 60, double.PositiveInfinity }, { 2, 1 }, { 10, 4 },
    };

    [Theory]
    [MemberData(nameof(Backgrounds))]
    public void In_control_the_likelihood_ratio_CUSUM_alarms_no_more_than_once_per_e_to_the_h_days(double mean, double size)
    {
        // Lorden (1971): the in-control average run length of a likelihood-ratio CUSUM is at least e^h.
        var (counts, expected) = InControl(new Random(42), 100_000, mean, size);
        var days = Cusum.Run(counts, expected, size, CusumOptions.LikelihoodRatio);

        Assert.True(RunLength(days) >= Math.Exp(CusumOptions.LikelihoodRatio.H), $"average run length {RunLength(days):F0} days");
    }

    [Theory]
    [MemberData(nameof(Backgrounds))]
    public void In_control_the_Pearson_CUSUM_runs_at_least_100_days_between_alarms_on_average(double mean, double size)
    {
        var (counts, expected) = InControl(new Random(43), 100_000, mean, size);
        var days = Cusum.Run(counts, expected, size, CusumOptions.Pearson);

        Assert.True(RunLength(days) >= 100, $"average run length {RunLength(days):F0} days");
    }

    [Theory]
    [InlineData(CusumIncrement.LikelihoodRatio)]
    [InlineData(CusumIncrement.Pearson)]
    public void A_doubling_of_a_mean_of_10_is_caught_within_3_days_on_average(CusumIncrement increment)
    {
        var options = increment == CusumIncrement.LikelihoodRatio ? CusumOptions.LikelihoodRatio : CusumOptions.Pearson;
        var delays = StepDelays(new Random(44), 10, (c, e) => Cusum.Run(c, e, double.PositiveInfinity, options));

        Assert.True(delays.Average() <= 3, $"mean delay {delays.Average():F2} days");
        Assert.True(delays.Max() <= 10, $"longest delay {delays.Max()} days");
    }

    [Fact]
    public void The_sum_accumulates_Pearson_residuals_less_k_and_restarts_after_an_alarm()
    {
        // μ = 4, Poisson: sd 2; residuals 0, 2, 2, 0, −2; k = 0.5, h = 2.
        var days = Cusum.Run([4, 8, 8, 4, 0], [4, 4, 4, 4, 4], double.PositiveInfinity, new CusumOptions(CusumIncrement.Pearson, K: 0.5, H: 2));

        Assert.Equal([0, 1.5, 3, 0, 0], days.Select(d => d.Score));
        Assert.Equal([false, false, true, false, false], days.Select(d => d.Alarm));
        Assert.Equal([9, 9, 6, 9, 9], days.Select(d => d.Threshold)); // 4 + 2·(h + k − S_{t−1})
    }

    [Fact]
    public void Without_reset_an_alarm_persists_while_the_sum_stays_above_h()
    {
        var options = new CusumOptions(CusumIncrement.Pearson, K: 0.5, H: 2, ResetAfterAlarm: false);
        var days = Cusum.Run([4, 8, 8, 4, 4], [4, 4, 4, 4, 4], double.PositiveInfinity, options);

        Assert.Equal([0, 1.5, 3, 2.5, 2], days.Select(d => d.Score));
        Assert.Equal([false, false, true, true, false], days.Select(d => d.Alarm));
    }

    [Theory]
    [InlineData(3.0, 1.0)]
    [InlineData(0.4, 0.5)]
    [InlineData(25.0, 8.0)]
    [InlineData(25.0, double.PositiveInfinity)]
    public void The_increment_is_the_negative_binomial_log_likelihood_ratio(double mean, double size)
    {
        const double shift = 2;
        var (slope, intercept) = CountModel.ShiftLogLikelihoodRatio(mean, size, shift);
        for (var y = 0; y <= 60; y++)
        {
            var ratio = LogPmf(y, shift * mean, size) - LogPmf(y, mean, size);
            Assert.Equal(ratio, slope * y + intercept, 1e-9);
        }
    }

    [Fact]
    public void Counts_at_their_expected_value_never_alarm()
    {
        var expected = Enumerable.Range(0, 400).Select(t => 5 + 3 * Math.Sin(t / 9.0)).Select(x => Math.Round(x)).ToArray();
        Assert.DoesNotContain(Cusum.Run(expected, expected, 3, CusumOptions.LikelihoodRatio), d => d.Alarm || d.Score > 0);
    }

    [Fact]
    public void Each_day_alarms_exactly_when_its_count_exceeds_its_threshold()
    {
        var rng = new Random(45);
        foreach (var options in new[] { CusumOptions.LikelihoodRatio, CusumOptions.Pearson, CusumOptions.Pearson with { ResetAfterAlarm = false } })
        {
            var (counts, expected) = InControl(rng, 5_000, 3, 2);
            for (var t = 2_000; t < 2_030; t++) counts[t] *= 3;
            Assert.All(Cusum.Run(counts, expected, 2, options), d => Assert.Equal(d.Count > d.Threshold, d.Alarm));
        }
    }

    [Fact]
    public void Inputs_are_checked()
    {
        Assert.Throws<ArgumentException>(() => Cusum.Run([1, 2], [1], 1, CusumOptions.Pearson));
        Assert.Throws<ArgumentException>(() => Cusum.Run([1, 2], [1, 0], 1, CusumOptions.Pearson));
        Assert.Throws<ArgumentOutOfRangeException>(() => Cusum.Run([1, 2], [1, 1], 0, CusumOptions.Pearson));
        Assert.Throws<ArgumentOutOfRangeException>(() => Cusum.Run([1, 2], [1, 1], 1, CusumOptions.LikelihoodRatio with { Shift = 0.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Cusum.Run([1, 2], [1, 1], 1, CusumOptions.Pearson with { H = 0 }));
    }

    /// <summary>A weekday-patterned background (Sundays at 60 %, Mondays at 130 %) and counts drawn from it.</summary>
    internal static (double[] Counts, double[] Expected) InControl(Random rng, int days, double mean, double size)
    {
        var expected = Enumerable.Range(0, days).Select(t => mean * (t % 7) switch { 0 => 0.6, 1 => 1.3, _ => 1.02 }).ToArray();
        return (Series.Counts(rng, expected, size), expected);
    }

    internal static double RunLength(IReadOnlyCollection<Judgement> days) => (double)days.Count / Math.Max(1, days.Count(d => d.Alarm));

    /// <summary>Days from a doubling of the mean (day 1 = the first doubled day) to the first alarm, over 200 replicates.</summary>
    internal static List<int> StepDelays(Random rng, double mean, Func<double[], double[], Judgement[]> detector)
    {
        const int before = 150, after = 40;
        var delays = new List<int>();
        for (var r = 0; r < 200; r++)
        {
            var expected = Enumerable.Repeat(mean, before + after).ToArray();
            var counts = Series.Counts(rng, before, mean).Concat(Series.Counts(rng, after, 2 * mean)).ToArray();
            var first = detector(counts, expected).Skip(before).FirstOrDefault(d => d.Alarm);
            delays.Add(first.Alarm ? first.Day - before + 1 : after + 1);
        }
        return delays;
    }

    static double LogPmf(int y, double mean, double size) =>
        double.IsPositiveInfinity(size) ? Poisson.PMFLn(mean, y) : NegativeBinomial.PMFLn(size, size / (size + mean), y);
}
