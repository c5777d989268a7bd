namespace Dispatch.EarlyWarning.Tests;

public class EarsTests
{
    // Days 0–10 repeat 2,4,2,4,2,4,3: every C2 window up to day 13 has mean 3 and sd 1.
    static readonly double[] Pattern = [2, 4, 2, 4, 2, 4, 3, 2, 4, 2, 4];

    [Fact]
    public void C1_C2_and_C3_judge_from_days_8_10_and_12()
    {
        var counts = Series.Counts(new Random(1), 40, 5);

        Assert.Equal(Enumerable.Range(7, 33), Ears.C1(counts).Select(j => j.Day));
        Assert.Equal(Enumerable.Range(9, 31), Ears.C2(counts).Select(j => j.Day));
        Assert.Equal(Enumerable.Range(11, 29), Ears.C3(counts).Select(j => j.Day));
    }

    [Fact]
    public void A_series_too_short_to_judge_gives_no_days()
    {
        Assert.Empty(Ears.C1(new double[7]));
        Assert.Empty(Ears.C2(new double[9]));
        Assert.Empty(Ears.C3(new double[11]));
        Assert.Single(Ears.C3(new double[12]));
    }

    [Fact]
    public void C1_uses_the_sample_standard_deviation_and_a_strict_comparison()
    {
        // Baseline 1..7: mean 4, sample sd √(28/6).
        double[] counts = [1, 2, 3, 4, 5, 6, 7, 11];
        var day = Assert.Single(Ears.C1(counts));

        var sd = Math.Sqrt(28.0 / 6);
        Assert.Equal(4 + 3.090232306167813 * sd, day.Threshold, 1e-12);
        Assert.Equal((11 - 4) / sd, day.Score, 1e-12);
        Assert.True(day.Alarm); // 11 > 4 + 3.09·2.160 = 10.68; the population sd (2.0) would give 10.18
        Assert.False(Assert.Single(Ears.C1([1, 2, 3, 4, 5, 6, 7, 10.6])).Alarm);
    }

    [Fact]
    public void With_a_constant_baseline_the_threshold_is_the_mean_and_only_a_higher_count_alarms()
    {
        double[] counts = [5, 5, 5, 5, 5, 5, 5, 5, 6, 4];
        var days = Ears.C1(counts);

        Assert.All(days.Take(2), d => Assert.Equal(5, d.Threshold));
        Assert.Equal((0.0, false), (days[0].Score, days[0].Alarm));
        Assert.Equal((double.PositiveInfinity, true), (days[1].Score, days[1].Alarm));
    }

    [Fact]
    public void C3_sums_the_excess_of_C2_over_1_for_the_day_and_the_two_before()
    {
        // C2 on days 9..13 is -1, 1, 2, 3, 1: shares 0, 0, 1, 2, 0.
        double[] counts = [.. Pattern, 5, 6, 4];
        var days = Ears.C3(counts);

        Assert.Equal([11, 12, 13], days.Select(d => d.Day));
        Assert.Equal([1, 3, 3], days.Select(d => d.Score).Select(s => Math.Round(s, 12)));
        Assert.Equal([false, true, true], days.Select(d => d.Alarm));
        // Count thresholds: mean + sd·(3 − L) with L the two earlier shares; once L > 2, any count alarms.
        Assert.Equal(6, days[0].Threshold, 1e-12);
        Assert.Equal(5, days[1].Threshold, 1e-12);
        Assert.Equal(double.NegativeInfinity, days[2].Threshold);
    }

    [Fact]
    public void C3_alarms_only_above_2()
    {
        // C2 on days 9..13 is -1, 1, 1, 3, 0: C3 is 0, 2, 2 — never above 2.
        double[] counts = [.. Pattern, 4, 6, 3];
        var days = Ears.C3(counts);

        Assert.Equal([0, 2, 2], days.Select(d => d.Score).Select(s => Math.Round(s, 12)));
        Assert.All(days, d => Assert.False(d.Alarm));
        Assert.Equal([6, 6, 4], days.Select(d => Math.Round(d.Threshold, 12)));
    }

    [Fact]
    public void C3_with_a_constant_baseline_alarms_on_any_excess_and_carries_it_two_days()
    {
        // Every C2 window up to day 14 holds only 3s (sd = 0): C2 is 0 on a 3 and +∞ on the 4.
        double[] counts = [.. Enumerable.Repeat(3.0, 12), 4, 3, 3];
        var days = Ears.C3(counts);

        Assert.Equal([0, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity], days.Select(d => d.Score));
        Assert.Equal([false, true, true, true], days.Select(d => d.Alarm));
        Assert.Equal([3, 3, double.NegativeInfinity, double.NegativeInfinity], days.Select(d => d.Threshold));
    }

    [Fact]
    public void C3_agrees_with_its_definition_on_C2_for_random_series()
    {
        var rng = new Random(7);
        for (var k = 0; k < 20; k++)
        {
            var counts = Series.Counts(rng, 90, 0.5 + 20 * rng.NextDouble(), size: 2);
            var c2 = Ears.C2(counts);
            var c3 = Ears.C3(counts);
            for (var i = 0; i < c3.Length; i++)
            {
                var expected = c2.Skip(i).Take(3).Sum(d => Math.Max(0, d.Score - 1));
                Assert.Equal(expected, c3[i].Score, 1e-12);
                Assert.Equal(expected > 2, c3[i].Alarm);
            }
        }
    }

    [Fact]
    public void Every_method_alarms_exactly_when_the_count_exceeds_its_threshold()
    {
        var rng = new Random(11);
        for (var k = 0; k < 30; k++)
        {
            var counts = Series.Counts(rng, 120, 0.2 + 30 * rng.NextDouble(), size: 1 + 10 * rng.NextDouble());
            foreach (var day in Ears.C1(counts).Concat(Ears.C2(counts)).Concat(Ears.C3(counts)))
                Assert.Equal(day.Count > day.Threshold, day.Alarm);
        }
    }

    [Fact]
    public void Integer_counts_give_the_same_answers()
    {
        var counts = Series.Counts(new Random(3), 60, 4);
        var ints = Series.ToInts(counts);

        Assert.Equal(Ears.C1(counts), Ears.C1(ints));
        Assert.Equal(Ears.C2(counts), Ears.C2(ints));
        Assert.Equal(Ears.C3(counts), Ears.C3(ints));
    }

    [Fact]
    public void Options_and_counts_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Ears.C1(new double[20], new EarsOptions(Baseline: 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ears.C2(new double[20], new EarsOptions(Alpha: 1)));
        var e = Assert.Throws<ArgumentException>(() => Ears.C1([1, 2, double.NaN, 4, 5, 6, 7, 8]));
        Assert.Contains("day index 2", e.Message);
    }
}
