using Dispatch.EarlyWarning.Scan;

namespace Dispatch.EarlyWarning.Tests;

public class RegionChartsTests
{
    const int Grids = RegionCity.Grids, History = RegionCity.History;
    static readonly DateOnly Start = RegionCity.Start;
    static readonly int[][] Regions = RegionCity.Regions;
    static GridDays City(Random rng) => RegionCity.Counts(rng);

    static readonly RegionChartOptions Options = new(Replicates: 199);

    [Theory]
    [InlineData(ChartMethod.Cusum)]
    [InlineData(ChartMethod.Ewma)]
    public void A_region_three_times_its_baseline_for_three_days_alarms_alone_and_explains_its_window(ChartMethod method)
    {
        var counts = City(new Random(1));
        var baselines = RegionBaselines.Fit(counts, Regions, Options.TrainingDays)!;
        var observed = baselines.Observed(counts, Regions);
        for (var d = baselines.Days - 3; d < baselines.Days; d++) observed[17][d] = Math.Round(3 * baselines.Expected[17][d]) + 4;
        var nul = method == ChartMethod.Cusum ? RegionCharts.Null(baselines, Options, new Random(2)).Cusum : RegionCharts.Null(baselines, Options, new Random(2)).Ewma;

        var alarm = Assert.Single(RegionCharts.Judge(method, baselines, observed, nul, Options));

        Assert.Equal(17, alarm.Region);
        Assert.Equal(1.0 / 200, alarm.PValue);
        Assert.Equal(Start.AddDays(History - 1), alarm.To);
        Assert.InRange(alarm.From, Start.AddDays(Options.TrainingDays), Start.AddDays(History - 3));
        Assert.True(alarm.Score > alarm.Threshold, $"{alarm.Score} ≤ {alarm.Threshold}");
        Assert.True(alarm.Observed > 2 * alarm.Expected, $"{alarm.Observed} vs {alarm.Expected}");
    }

    [Theory]
    [InlineData(ChartMethod.Cusum, 0.01, 0, 8)]
    [InlineData(ChartMethod.Ewma, 0.01, 0, 8)]
    [InlineData(ChartMethod.Cusum, 0.2, 50, 110)]
    [InlineData(ChartMethod.Ewma, 0.2, 50, 110)]
    public void On_signal_free_days_the_city_alarms_on_about_alpha_of_them(ChartMethod method, double alpha, int least, int most)
    {
        // 400 signal-free days drawn from the same baselines the null was drawn from: the judged
        // statistic and the null's must be the same statistic for the rate to come out at α.
        var options = Options with { Alpha = alpha };
        var baselines = RegionBaselines.Fit(City(new Random(3)), Regions, options.TrainingDays)!;
        var (cusum, ewma) = RegionCharts.Null(baselines, options, new Random(4));
        var rng = new Random(5);
        var alarmDays = 0;
        for (var day = 0; day < 400; day++)
        {
            var observed = baselines.Expected.Select((e, r) => Series.Counts(rng, e, baselines.Size[r])).ToArray();
            if (RegionCharts.Judge(method, baselines, observed, method == ChartMethod.Cusum ? cusum : ewma, options).Count > 0) alarmDays++;
        }
        Assert.InRange(alarmDays, least, most);
    }

    [Fact]
    public void The_baseline_is_fitted_on_the_training_days_and_charts_the_rest()
    {
        var counts = City(new Random(6));
        var baselines = RegionBaselines.Fit(counts, Regions, 35)!;

        Assert.Equal(Start.AddDays(35), baselines.Start);
        Assert.Equal(History - 35, baselines.Days);
        // Shares add up to the city: the regions' expectations sum to the citywide model's.
        Assert.Equal(baselines.City.Expected(baselines.Start), baselines.Expected.Sum(e => e[0]), 6);
        Assert.True(baselines.Expected.All(e => e.All(x => x > 0)));
    }

    [Fact]
    public void No_baseline_while_the_city_has_training_days_without_any_report_and_no_judging_against_another_days_null()
    {
        var counts = City(new Random(7));
        for (var g = 0; g < Grids; g++) counts[g, 3] = 0;
        Assert.Null(RegionBaselines.Fit(counts, Regions, 35));

        var fresh = City(new Random(8));
        var baselines = RegionBaselines.Fit(fresh, Regions, 35)!;
        var other = RegionBaselines.Fit(City(new Random(9)), Regions, 35)!;
        var nul = RegionCharts.Null(other, Options, new Random(10)).Cusum;
        Assert.Throws<ArgumentException>(() => RegionCharts.Judge(ChartMethod.Cusum, baselines, baselines.Observed(fresh, Regions), nul, Options));
        Assert.NotEqual(baselines.Fingerprint(ChartMethod.Cusum, Options), baselines.Fingerprint(ChartMethod.Ewma, Options));
    }
}
