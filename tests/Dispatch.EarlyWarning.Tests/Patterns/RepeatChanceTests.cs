using Dispatch.EarlyWarning.Patterns;

namespace Dispatch.EarlyWarning.Tests.Patterns;

public class RepeatChanceTests
{
    static readonly RepeatChanceOptions Production = DetectorSettings.Production.Repeats;

    [Theory]
    [InlineData(0, 1.0, 1.0)]
    [InlineData(1, 1.0, 0.63212055882855767)] // 1 − e⁻¹
    [InlineData(3, 1.0, 0.080301397071394196)] // 1 − e⁻¹(1 + 1 + ½), R: ppois(2, 1, lower.tail = FALSE)
    [InlineData(4, 0.0625, 6.04806992999647e-7)] // Σ from 4 of e^−λ λ^i / i!, λ = (0 + ½) × 7 / 56
    public void The_Poisson_upper_tail_matches_its_closed_form(int k, double lambda, double expected) =>
        Assert.Equal(expected, RepeatChance.UpperTail(k, lambda), expected * 1e-4);

    [Fact]
    public void Four_reports_in_a_week_where_there_were_none_are_an_alarm_three_are_not()
    {
        Assert.True(RepeatChance.PValue(4, 0, Production.BackgroundDays, 7) <= Production.Alpha);
        Assert.True(RepeatChance.PValue(3, 0, Production.BackgroundDays, 7) > Production.Alpha);
    }

    [Fact]
    public void A_busy_places_ordinary_week_is_not_an_alarm_but_a_week_far_beyond_it_is()
    {
        // The generated city's typical repeat place: 18 reports in the 8 weeks before, 2.3 a week.
        Assert.True(RepeatChance.PValue(8, 18, Production.BackgroundDays, 7) > Production.Alpha);
        Assert.True(RepeatChance.PValue(15, 18, Production.BackgroundDays, 7) <= Production.Alpha);
        Assert.True(RepeatChance.PValue(5, 18, 56, 7) > RepeatChance.PValue(6, 18, 56, 7));
    }
}
