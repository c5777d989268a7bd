namespace Dispatch.EarlyWarning.Tests;

/// <summary>EARS C2 against the citywide maxima of signal-free cities (issue 15).</summary>
public class RegionEarsTests
{
    static readonly int[][] Villages = RegionCity.Regions;
    static readonly int[][] Townships = [.. Enumerable.Range(0, 10).Select(t => Enumerable.Range(t * 10, 10).ToArray())];
    static readonly EarsOptions Ears = DetectorSettings.Production.Ears;

    static RegionBaselines Baselines(int seed) => RegionBaselines.Fit(RegionCity.Counts(new Random(seed)), Villages, 35)!;

    /// <summary>The city's largest C2 on the last day, among villages and townships with at least 3 reports.</summary>
    static double CityMax(double[][] villages)
    {
        var max = double.NegativeInfinity;
        foreach (var v in villages) if (v[^1] >= 3) max = Math.Max(max, RegionEars.Score(v, Ears));
        foreach (var t in Townships)
        {
            var sum = new double[villages[0].Length];
            foreach (var v in t) for (var d = 0; d < sum.Length; d++) sum[d] += villages[v][d];
            if (sum[^1] >= 3) max = Math.Max(max, RegionEars.Score(sum, Ears));
        }
        return max;
    }

    [Fact]
    public void On_signal_free_days_the_city_alarms_on_about_alpha_of_them()
    {
        var baselines = Baselines(3);
        var nul = RegionEars.Null(baselines, Townships, Ears, 199, 3, 1, new Random(4));
        var rng = new Random(5);
        var alarmDays = 0;
        for (var day = 0; day < 300; day++)
        {
            var observed = baselines.Expected.Select((e, r) => Series.Counts(rng, e, baselines.Size[r])).ToArray();
            if (nul.PValue(CityMax(observed)) < 0.2) alarmDays++;
        }
        // α = 0.2 over 300 days: 60 expected, binomial sd ≈ 7.
        Assert.InRange(alarmDays, 38, 82);
    }

    [Fact]
    public void A_village_burst_today_is_beyond_every_signal_free_city()
    {
        var baselines = Baselines(6);
        var nul = RegionEars.Null(baselines, Townships, Ears, 199, 3, 1, new Random(7));
        var observed = baselines.Expected.Select(e => e.Select(x => Math.Round(x)).ToArray()).ToArray();
        observed[42][^1] = 15;
        Assert.Equal(1.0 / 200, nul.PValue(CityMax(observed)));
    }

    [Fact]
    public void The_fingerprint_is_stable_and_follows_its_inputs()
    {
        var baselines = Baselines(8);
        Assert.Equal(RegionEars.Fingerprint(baselines, Townships, Ears, 199, 3), RegionEars.Fingerprint(baselines, Townships, Ears, 199, 3));
        Assert.NotEqual(RegionEars.Fingerprint(baselines, Townships, Ears, 199, 3), RegionEars.Fingerprint(baselines, Townships, Ears, 999, 3));
        Assert.NotEqual(RegionEars.Fingerprint(baselines, Townships, Ears, 199, 3), RegionEars.Fingerprint(baselines, Townships[1..], Ears, 199, 3));
        Assert.Equal(RegionEars.Fingerprint(baselines, Townships, Ears, 199, 3), RegionEars.Null(baselines, Townships, Ears, 199, 3, 1, new Random(1)).Fingerprint);
    }
}
