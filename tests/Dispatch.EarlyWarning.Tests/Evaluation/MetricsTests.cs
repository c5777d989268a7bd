using Dispatch.EarlyWarning.Evaluation;

namespace Dispatch.EarlyWarning.Tests.Evaluation;

public class MetricsTests
{
    // A signal on grids 1, 2, 3 for three days.
    static readonly Injection Signal = new([1, 2, 3], Start: 100, Days: 3, Extras: []);

    [Fact]
    public void An_outcome_is_counted_exactly()
    {
        List<Alarm>[] days =
        [
            [new(5, [7, 8])],                              // day 1: a false alarm elsewhere
            [new(9, [2, 3, 4, 5]), new(1, [1]), new(6, [9])], // day 2: detected (4 grids flagged, 2 in the signal); the 1.0 is below h
            [new(8, [1, 2, 3])],                            // day 3: another true alarm
        ];
        var o = Outcome.Of(Signal, days, threshold: 2);
        Assert.Equal(new Outcome(DetectionDay: 2, Flagged: 4, FlaggedInSignal: 2, SignalGrids: 3, TrueAlarms: 2, Alarms: 4), o);
    }

    [Fact]
    public void A_summary_is_computed_exactly()
    {
        Outcome[] outcomes =
        [
            new(1, Flagged: 4, FlaggedInSignal: 2, SignalGrids: 3, TrueAlarms: 2, Alarms: 4),
            new(3, Flagged: 1, FlaggedInSignal: 1, SignalGrids: 2, TrueAlarms: 1, Alarms: 1),
            new(2, Flagged: 2, FlaggedInSignal: 2, SignalGrids: 2, TrueAlarms: 3, Alarms: 3),
            new(null, 0, 0, SignalGrids: 3, TrueAlarms: 0, Alarms: 2),
        ];
        var s = Summary.Of(outcomes);
        Assert.Equal(4, s.Replicates);
        Assert.Equal(0.75, s.Detection);
        Assert.Equal(0.25, s.ByDay1);
        Assert.Equal(0.75, s.ByDay3);
        Assert.Equal(2.0, s.MeanDays);
        Assert.Equal(2.0, s.MedianDays);
        Assert.Equal((0.5 + 1 + 1) / 3, s.Precision!.Value, 12);
        Assert.Equal((2.0 / 3 + 0.5 + 1) / 3, s.Recall!.Value, 12);
        Assert.Equal(6.0 / 10, s.Ppv);
    }

    [Fact]
    public void Alarm_days_and_episodes_are_counted_exactly()
    {
        List<Alarm>[] days =
        [
            [new(3, [1, 2])],             // new episode
            [new(3, [2]), new(4, [5])],   // grid 2 continues; grid 5 is new
            [],
            [new(3, [2])],                // after a quiet day: new
        ];
        Assert.Equal((3, 3), Calibration.Count(days));
    }

    [Fact]
    public void Heights_follow_the_profiles()
    {
        Assert.Equal(1, new Scenario(Shape.OneGrid, 7, Profile.Spike, 3).Height(4));
        Assert.Equal(3.0 / 7, new Scenario(Shape.OneGrid, 7, Profile.Ramp, 3).Height(2), 12);
        var lognormal = new Scenario(Shape.OneGrid, 7, Profile.LogNormal, 3);
        Assert.Equal(1, Enumerable.Range(0, 7).Max(lognormal.Height), 12);
        Assert.True(lognormal.Height(0) < lognormal.Height(3));
    }
}
