using Dispatch.EarlyWarning.Evaluation;

namespace Dispatch.EarlyWarning.Tests.Evaluation;

public class CalibrationTests
{
    [Fact]
    public void The_threshold_lets_through_one_day_in_n()
    {
        double[] max = [.. Enumerable.Range(1, 365).Select(i => (double)i)];
        var h = Calibration.Threshold(max, 30);
        Assert.Equal(365 - 12, h);                        // ⌊365/30⌋ = 12 days above
        Assert.Equal(12, max.Count(m => m > h));
        Assert.Equal(3, max.Count(m => m > Calibration.Threshold(max, 100)));
    }

    [Fact]
    public void Calibrated_detectors_alarm_once_a_month_on_signal_free_data_and_about_as_often_on_a_fresh_year()
    {
        var calibrated = SmallCity.World;
        var fresh = SmallCity.Make(200, seed: 8);
        foreach (var (method, level) in new[] { (TemporalMethod.C2, Level.Village), (TemporalMethod.Cusum, Level.Township) })
        {
            var d = new TemporalDetector(method, level);
            d.ScoreSignalFree(calibrated);
            var h = Calibration.Threshold(d.DailyMax, 30);
            var days = Enumerable.Range(0, calibrated.TestDays).Select(t => d.AlarmsSignalFree(t, h)).ToList();
            // At most ⌊365/30⌋ = 12: EARS scores of small counts are discrete, and a tie at h can
            // only hold days back (C2 on 4-grid villages at 200 a day gets 9); the CUSUM's are not.
            var alarmDays = Calibration.Count(days).AlarmDays;
            if (method == TemporalMethod.Cusum) Assert.Equal(12, alarmDays);
            else Assert.InRange(alarmDays, 8, 12);

            // Out of sample the count is random: 12 expected, a Poisson-like spread plus the
            // threshold's own estimation error; 3 … 27 is far outside what a wrong rate would give.
            var other = new TemporalDetector(method, level);
            other.ScoreSignalFree(fresh);
            var outOfSample = Enumerable.Range(0, fresh.TestDays).Count(t => other.DailyMax[t] > h);
            Assert.InRange(outOfSample, 3, 27);
        }
    }
}
