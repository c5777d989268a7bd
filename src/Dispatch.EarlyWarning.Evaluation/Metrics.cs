namespace Dispatch.EarlyWarning.Evaluation;

/// <summary>
/// What one detector did with one injected signal.
/// </summary>
/// <param name="DetectionDay">Day of the signal (1 = its first day) of the first alarm that touches
/// one of its grids; null when no such alarm came while the signal lasted.</param>
/// <param name="Flagged">On the detection day, grids of the alarms that touch the signal.</param>
/// <param name="FlaggedInSignal">How many of those are signal grids.</param>
/// <param name="SignalGrids">Grids of the signal.</param>
/// <param name="TrueAlarms">Alarms during the signal's days that touch it.</param>
/// <param name="Alarms">All alarms anywhere in the city during the signal's days.</param>
public readonly record struct Outcome(int? DetectionDay, int Flagged, int FlaggedInSignal, int SignalGrids, int TrueAlarms, int Alarms)
{
    /// <summary>Judges the alarms of each day of <paramref name="injection"/>.</summary>
    public static Outcome Of(Injection injection, IReadOnlyList<List<Alarm>> alarmsByDay, double threshold)
    {
        int? detected = null;
        int flagged = 0, inSignal = 0, trueAlarms = 0, alarms = 0;
        for (var i = 0; i < alarmsByDay.Count; i++)
        {
            var touching = new HashSet<int>();
            foreach (var a in alarmsByDay[i])
            {
                if (!(a.Score > threshold)) continue;
                alarms++;
                if (!a.Grids.Any(injection.Contains)) continue;
                trueAlarms++;
                touching.UnionWith(a.Grids);
            }
            if (detected is null && touching.Count > 0)
            {
                detected = i + 1;
                flagged = touching.Count;
                inSignal = touching.Count(injection.Contains);
            }
        }
        return new Outcome(detected, flagged, inSignal, injection.Grids.Length, trueAlarms, alarms);
    }
}

/// <summary>
/// Metrics of a detector on one scenario.
/// </summary>
/// <param name="Replicates">Signals injected.</param>
/// <param name="Detection">Probability of detection while the signal lasts.</param>
/// <param name="ByDay1">Detected on its first day.</param>
/// <param name="ByDay3">Detected by its third day (signals shorter than 3 days: by their last).</param>
/// <param name="MeanDays">Mean days to detection of the detected (1 = first day); null when none.</param>
/// <param name="MedianDays">Median of the same.</param>
/// <param name="Precision">Mean over detected signals of the share of flagged grids that are signal grids.</param>
/// <param name="Recall">Mean over detected signals of the share of signal grids flagged.</param>
/// <param name="Ppv">Alarms during the signals that touch them / all alarms during them.</param>
public sealed record Summary(int Replicates, double Detection, double ByDay1, double ByDay3, double? MeanDays, double? MedianDays,
    double? Precision, double? Recall, double? Ppv)
{
    /// <summary>Summarises outcomes.</summary>
    public static Summary Of(IReadOnlyList<Outcome> outcomes)
    {
        var n = outcomes.Count;
        var detected = outcomes.Where(o => o.DetectionDay is not null).ToList();
        var days = detected.Select(o => (double)o.DetectionDay!.Value).Order().ToList();
        double? Mean(IEnumerable<double> xs) => detected.Count == 0 ? null : xs.Average();
        var alarms = outcomes.Sum(o => o.Alarms);
        return new Summary(n,
            n == 0 ? 0 : (double)detected.Count / n,
            n == 0 ? 0 : (double)detected.Count(o => o.DetectionDay <= 1) / n,
            n == 0 ? 0 : (double)detected.Count(o => o.DetectionDay <= 3) / n,
            Mean(days),
            days.Count == 0 ? null : days.Count % 2 == 1 ? days[days.Count / 2] : (days[days.Count / 2 - 1] + days[days.Count / 2]) / 2,
            Mean(detected.Select(o => (double)o.FlaggedInSignal / o.Flagged)),
            Mean(detected.Select(o => (double)o.FlaggedInSignal / o.SignalGrids)),
            alarms == 0 ? null : (double)outcomes.Sum(o => o.TrueAlarms) / alarms);
    }
}

/// <summary>Thresholds from signal-free days, and false-alarm counts.</summary>
public static class Calibration
{
    /// <summary>
    /// The threshold h such that the city's daily maximum score exceeds it on
    /// ⌊days / <paramref name="daysPerFalseAlarm"/>⌋ of the signal-free days: one false alarm day
    /// per that many days citywide (the daily maximum alarms exactly when some unit does; Neill
    /// 2009 calibrates the same way). Ties at h can only lower the count.
    /// </summary>
    public static double Threshold(IReadOnlyList<double> dailyMax, double daysPerFalseAlarm)
    {
        if (dailyMax.Count == 0) throw new ArgumentException("No signal-free days to calibrate on.", nameof(dailyMax));
        if (!(daysPerFalseAlarm >= 1)) throw new ArgumentOutOfRangeException(nameof(daysPerFalseAlarm), daysPerFalseAlarm, "At least one day per false alarm.");
        var sorted = dailyMax.OrderDescending().ToArray();
        var allowed = (int)Math.Floor(sorted.Length / daysPerFalseAlarm);
        return allowed >= sorted.Length ? double.NegativeInfinity : sorted[allowed];
    }

    /// <summary>
    /// Days with an alarm, and alarm episodes — alarms that share no grid with any alarm of the day
    /// before (a unit alarming three days running is one signal to a supervisor, as Greene 2016
    /// counts signals).
    /// </summary>
    public static (int AlarmDays, int Episodes) Count(IReadOnlyList<List<Alarm>> alarmsByDay)
    {
        int days = 0, episodes = 0;
        HashSet<int> yesterday = [];
        foreach (var alarms in alarmsByDay)
        {
            if (alarms.Count > 0) days++;
            var today = new HashSet<int>();
            foreach (var a in alarms)
            {
                if (!a.Grids.Any(yesterday.Contains)) episodes++;
                today.UnionWith(a.Grids);
            }
            yesterday = today;
        }
        return (days, episodes);
    }
}
