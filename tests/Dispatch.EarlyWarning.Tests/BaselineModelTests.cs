using System.Globalization;

namespace Dispatch.EarlyWarning.Tests;

public class BaselineModelTests
{
    static readonly DateOnly Start = new(2024, 1, 1); // a Monday

    // log μ = log 40 + 0.1·years + weekday + 0.3·cos + −0.2·sin: coefficients in the model's order.
    static readonly double[] Truth = [Math.Log(40), 0.1, 0.05, 0.05, 0.1, 0.2, -0.3, -0.4, 0.3, -0.2];

    static double TrueMean(DateOnly date)
    {
        var t = date.DayNumber - Start.DayNumber;
        var weekday = date.DayOfWeek switch
        {
            DayOfWeek.Tuesday => Truth[2], DayOfWeek.Wednesday => Truth[3], DayOfWeek.Thursday => Truth[4],
            DayOfWeek.Friday => Truth[5], DayOfWeek.Saturday => Truth[6], DayOfWeek.Sunday => Truth[7], _ => 0,
        };
        var angle = 2 * Math.PI * t / 365.25;
        return Math.Exp(Truth[0] + Truth[1] * t / 365.25 + weekday + Truth[8] * Math.Cos(angle) + Truth[9] * Math.Sin(angle));
    }

    static double[] Simulate(Random rng, int days, double size) =>
        Series.Counts(rng, [.. Enumerable.Range(0, days).Select(d => TrueMean(Start.AddDays(d)))], size);

    [Fact]
    public void Two_years_of_Poisson_counts_give_back_trend_weekday_and_season()
    {
        var model = BaselineModel.Fit(Start, Simulate(new Random(61), 730, double.PositiveInfinity));

        Assert.Equal(BaselineTerms.All, model.Terms);
        for (var j = 0; j < Truth.Length; j++)
            Assert.True(Math.Abs(model.Coefficients[j] - Truth[j]) < 0.06, $"coefficient {j}: {model.Coefficients[j]:F3}, truth {Truth[j]:F3}");
        Assert.True(model.Size > 200, $"size {model.Size} for Poisson data");
    }

    [Fact]
    public void Overdispersed_counts_give_the_negative_binomial_size()
    {
        var model = BaselineModel.Fit(Start, Simulate(new Random(62), 730, size: 5));

        Assert.InRange(model.Size, 4, 6.5);
        Assert.True(Math.Abs(model.Coefficients[0] - Truth[0]) < 0.1);
    }

    [Fact]
    public void The_fitted_model_predicts_the_following_year()
    {
        var model = BaselineModel.Fit(Start, Simulate(new Random(63), 730, double.PositiveInfinity));
        var next = Start.AddDays(730);
        var predicted = model.Expected(next, 365);

        for (var d = 0; d < 365; d++)
            Assert.InRange(predicted[d] / TrueMean(next.AddDays(d)), 0.9, 1.1);
        Assert.Equal(model.Expected(next.AddDays(100)), predicted[100]);
    }

    [Fact]
    public void A_level_only_model_expects_the_mean()
    {
        double[] counts = [3, 0, 5, 2, 7, 1, 4, 2];
        var model = BaselineModel.Fit(Start, counts, BaselineTerms.Level);

        Assert.Equal(counts.Average(), model.Expected(Start.AddDays(50)), 1e-9);
    }

    [Fact]
    public void The_window_decides_which_terms_it_can_support()
    {
        Assert.Equal(BaselineTerms.Level, BaselineModel.TermsFor(20));
        Assert.Equal(BaselineTerms.Weekday, BaselineModel.TermsFor(100));
        Assert.Equal(BaselineTerms.All, BaselineModel.TermsFor(400));
        Assert.Throws<ArgumentException>(() => BaselineModel.Fit(Start, new double[100], BaselineTerms.All));
        var none = Assert.Throws<ArgumentException>(() => BaselineModel.Fit(Start, new double[60], BaselineTerms.Weekday));
        Assert.Contains("no counts", none.Message);
    }

    [Fact]
    public void The_fit_is_the_one_R_reaches_with_glm_negative_binomial_and_theta_mm()
    {
        var counts = Simulate(new Random(64), 730, size: 3);
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, counts.Select((c, i) => $"{Start.AddDays(i):yyyy-MM-dd},{c.ToString(CultureInfo.InvariantCulture)}"));
            var r = RScript.Run("baseline_reference.R", file).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var model = BaselineModel.Fit(Start, counts);

            Assert.Equal(r.Length - 1, model.Coefficients.Count);
            for (var j = 0; j < model.Coefficients.Count; j++)
                Assert.True(Math.Abs(model.Coefficients[j] - r[j]) < 1e-7, $"coefficient {j}: ours {model.Coefficients[j]:R}, R {r[j]:R}");
            Assert.Equal(r[^1], model.Size, 1e-6 * r[^1]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_weekday_without_any_count_is_expected_near_zero_without_breaking_the_fit()
    {
        var counts = Simulate(new Random(65), 400, double.PositiveInfinity);
        for (var d = 0; d < counts.Length; d++)
            if (Start.AddDays(d).DayOfWeek == DayOfWeek.Sunday) counts[d] = 0;
        var model = BaselineModel.Fit(Start, counts, BaselineTerms.Weekday);

        Assert.True(model.Expected(new DateOnly(2025, 3, 2)) < 1e-3); // a Sunday
        Assert.InRange(model.Expected(new DateOnly(2025, 3, 3)), 20, 80); // a Monday
    }
}
