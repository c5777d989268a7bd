using Dispatch.EarlyWarning.Evaluation;
using Dispatch.EarlyWarning.Scan;

namespace Dispatch.EarlyWarning.Tests.Evaluation;

public class DetectionTests
{
    [Fact]
    public void A_strong_spike_in_a_village_is_caught_on_its_first_day_by_EARS_C2_and_by_the_scan()
    {
        var w = SmallCity.World;
        var scenario = new Scenario(Shape.Village, 3, Profile.Spike, 20);
        var injection = Injection.Draw(scenario, w.Nesting, w.Background, w.TestStart + 14, w.Background.Days, new Random(11));
        Assert.True(injection.Extras.Where(e => e.Day == injection.Start).Sum(e => e.Extra) >= 10);

        EvaluatedDetector[] detectors =
        [
            new TemporalDetector(TemporalMethod.C2, Level.Village),
            new EbpScanDetector(w, new ScanOptions(MaxWindow: 7, Replicates: 999, MaxDegreeOfParallelism: 1)),
        ];
        foreach (var d in detectors)
        {
            d.ScoreSignalFree(w);
            var h = Calibration.Threshold(d.DailyMax, 30);
            var outcome = Outcome.Of(injection, d.AlarmsWithSignal(injection, h), h);
            Assert.Equal(1, outcome.DetectionDay);
            Assert.True(outcome.FlaggedInSignal > 0, d.Name);
        }
    }

    [Fact]
    public void Injections_have_the_height_asked_for()
    {
        // 5 SD on one 4-grid village for 7 days: each day's expected excess is 5·√(Σμ); over 200
        // replicates the mean excess per day is within 10 % of it.
        var w = SmallCity.World;
        var scenario = new Scenario(Shape.Village, 7, Profile.Spike, 5);
        var rng = new Random(5);
        double ratio = 0;
        const int n = 200;
        for (var r = 0; r < n; r++)
        {
            var inj = Injection.Draw(scenario, w.Nesting, w.Background, w.TestStart, w.Background.Days, rng);
            var expected = Enumerable.Range(inj.Start, 7).Sum(d => 5 * Math.Sqrt(inj.Grids.Sum(g => w.Background.Mean(g, d))));
            ratio += inj.Extras.Sum(e => e.Extra) / expected / n;
        }
        Assert.InRange(ratio, 0.9, 1.1);
    }
}

public class PlantedTests
{
    [Fact]
    public void A_planted_repeat_is_flagged_on_the_day_of_its_third_incident_and_an_escalation_changes_no_count()
    {
        var w = SmallCity.World;
        var incidents = new Incidents(w, w.TestStart - 30, seed: 3);
        var repeat = Injection.Draw(new Scenario(Shape.RepeatAddress, 7, Profile.Spike, 0), w.Nesting, w.Background, w.TestStart + 14, w.TestStart + 40, new Random(4));
        var rule = new PatternDetector(escalation: false, incidents, days: 40);
        var outcome = Outcome.Of(repeat, rule.AlarmsWithSignal(repeat, 0.5), 0.5);
        Assert.Equal(repeat.Incidents!.Max(p => p.Day) - repeat.Start + 1, outcome.DetectionDay);
        Assert.Equal(3, repeat.Extras.Sum(e => e.Extra));

        var escalation = Injection.Draw(new Scenario(Shape.Escalation, 14, Profile.Spike, 0), w.Nesting, w.Background, w.TestStart + 14, w.TestStart + 40, new Random(5));
        Assert.Empty(escalation.Extras);
        var escalations = new PatternDetector(escalation: true, incidents, days: 40);
        var second = escalation.Incidents![1].Day - escalation.Start + 1;
        Assert.Equal(second, Outcome.Of(escalation, escalations.AlarmsWithSignal(escalation, 0.5), 0.5).DetectionDay);
    }
}
