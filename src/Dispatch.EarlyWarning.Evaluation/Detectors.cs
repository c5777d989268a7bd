namespace Dispatch.EarlyWarning.Evaluation;

/// <summary>One alarm of a day: its score (in the detector's units) and the grids it points at.</summary>
public readonly record struct Alarm(double Score, int[] Grids);

/// <summary>
/// A detector as the evaluation runs it: scored once on the signal-free test year (for calibration
/// and false alarms), then on the days of each injected signal. A day's alarms are its candidates
/// whose score exceeds the calibrated threshold, so one scoring serves every threshold.
/// </summary>
public abstract class EvaluatedDetector(string name)
{
    /// <summary>Name in the tables.</summary>
    public string Name => name;

    /// <summary>Per test day, the highest score anywhere in the city (−∞ when nothing was judged).</summary>
    public double[] DailyMax { get; protected set; } = [];

    /// <summary>Whether thresholds are calibrated on the score (false for fixed rules).</summary>
    public virtual bool Calibrated => true;

    /// <summary>Scores the signal-free test year.</summary>
    public abstract void ScoreSignalFree(World world);

    /// <summary>Signal-free alarms of test day <paramref name="testDay"/> scoring above <paramref name="floor"/>.</summary>
    public abstract List<Alarm> AlarmsSignalFree(int testDay, double floor);

    /// <summary>
    /// The score threshold at which each series on its own alarms on (1 − specificity) of its
    /// signal-free days, pooled over the series (Hutwagner 2005's per-series specificity); NaN for
    /// detectors that judge no single series.
    /// </summary>
    public virtual double SpecificityThreshold(double specificity) => double.NaN;

    /// <summary>Alarms above <paramref name="floor"/> on each day of the signal, with the signal added.</summary>
    public abstract List<Alarm>[] AlarmsWithSignal(Injection injection, double floor);
}

/// <summary>The temporal detectors this evaluation compares.</summary>
public enum TemporalMethod
{
    /// <summary>EARS C1.</summary>
    C1,
    /// <summary>EARS C2.</summary>
    C2,
    /// <summary>EARS C3.</summary>
    C3,
    /// <summary>Negative-binomial likelihood-ratio CUSUM (κ = 2, k = 0).</summary>
    Cusum,
    /// <summary>EWMA of Pearson residuals (λ = 0.2).</summary>
    Ewma,
}

/// <summary>
/// A temporal detector on every village's (or township's) daily series. Each series is judged on
/// its own; the city alarms on a day when any series does, so one threshold on the score is
/// calibrated citywide. EARS uses its own 7-day history (σ floored at one incident, R's
/// <c>minSigma = 1</c>: without a floor, a village with a quiet week has σ = 0 and its first incident
/// scores +∞, so no threshold could be calibrated); CUSUM and EWMA judge against the baseline
/// model. CUSUM and EWMA run without resets here: the score is the statistic itself and the
/// threshold is h (resp. the EWMA limit), set by calibration rather than by design.
/// </summary>
public sealed class TemporalDetector(TemporalMethod method, Level level)
    : EvaluatedDetector($"{Label(method)} · {level switch { Level.Grid => "网格 grid", Level.Village => "村 village", _ => "乡镇 township" }}")
{
    // The settings the server scores with, so the tables measure the production detectors.
    static readonly EarsOptions Ears = DetectorSettings.Production.Ears;
    static readonly CusumOptions Cusum = DetectorSettings.Production.Cusum;
    static readonly EwmaOptions Ewma = DetectorSettings.Production.Ewma;

    UnitSeries series = null!;
    double[][] scores = [];

    /// <summary>The method.</summary>
    public TemporalMethod Method => method;

    /// <summary>The level whose series it judges.</summary>
    public Level Level => level;

    static string Label(TemporalMethod m) => m switch
    {
        TemporalMethod.C1 => "EARS C1",
        TemporalMethod.C2 => "EARS C2",
        TemporalMethod.C3 => "EARS C3",
        TemporalMethod.Cusum => "NB CUSUM",
        _ => "EWMA",
    };

    /// <summary>Scores of one series over the scored days; −∞ on days the method cannot judge.</summary>
    public static double[] Scores(TemporalMethod method, double[] observed, double[] expected, double size)
    {
        var judged = method switch
        {
            TemporalMethod.C1 => EarlyWarning.Ears.C1(observed, Ears),
            TemporalMethod.C2 => EarlyWarning.Ears.C2(observed, Ears),
            TemporalMethod.C3 => EarlyWarning.Ears.C3(observed, Ears),
            TemporalMethod.Cusum => EarlyWarning.Cusum.Run(observed, expected, size, Cusum),
            _ => EarlyWarning.Ewma.Run(observed, expected, size, Ewma),
        };
        var scores = new double[observed.Length];
        Array.Fill(scores, double.NegativeInfinity);
        foreach (var j in judged) scores[j.Day] = j.Score;
        return scores;
    }

    /// <inheritdoc/>
    public override void ScoreSignalFree(World world)
    {
        series = world.Series(level);
        scores = new double[series.Members.Length][];
        for (var u = 0; u < scores.Length; u++) scores[u] = Scores(method, series.Observed[u], series.Expected[u], series.Size[u]);
        DailyMax = new double[world.TestDays];
        for (var d = 0; d < DailyMax.Length; d++)
        {
            var max = double.NegativeInfinity;
            foreach (var s in scores) max = Math.Max(max, s[World.RunIn + d]);
            DailyMax[d] = max;
        }
        runStart = world.RunStart;
    }

    int runStart;

    /// <inheritdoc/>
    public override double SpecificityThreshold(double specificity)
    {
        var pooled = new List<double>(scores.Length * DailyMax.Length);
        foreach (var s in scores)
            for (var d = World.RunIn; d < s.Length; d++)
                if (s[d] > double.NegativeInfinity) pooled.Add(s[d]);
        pooled.Sort();
        // The smallest h with at most (1 − specificity) of judged series-days above it.
        return pooled[Math.Clamp((int)Math.Ceiling(specificity * pooled.Count) - 1, 0, pooled.Count - 1)];
    }

    /// <inheritdoc/>
    public override List<Alarm> AlarmsSignalFree(int testDay, double floor)
    {
        var alarms = new List<Alarm>();
        for (var u = 0; u < scores.Length; u++)
            if (scores[u][World.RunIn + testDay] > floor) alarms.Add(new Alarm(scores[u][World.RunIn + testDay], series.Members[u]));
        return alarms;
    }

    /// <inheritdoc/>
    public override List<Alarm>[] AlarmsWithSignal(Injection injection, double floor)
    {
        // Only the units the extras fall in change; every other unit keeps its signal-free scores.
        var changed = new Dictionary<int, double[]>();
        foreach (var (g, day, extra) in injection.Extras)
        {
            var u = series.UnitOf[g];
            if (!changed.TryGetValue(u, out var obs)) changed[u] = obs = (double[])series.Observed[u].Clone();
            obs[day - runStart] += extra;
        }
        foreach (var u in changed.Keys.ToList()) changed[u] = Scores(method, changed[u], series.Expected[u], series.Size[u]);

        var result = new List<Alarm>[injection.Days];
        for (var i = 0; i < injection.Days; i++)
        {
            var at = injection.Start + i - runStart;
            var alarms = result[i] = [];
            for (var u = 0; u < scores.Length; u++)
            {
                var s = changed.TryGetValue(u, out var rescored) ? rescored[at] : scores[u][at];
                if (s > floor) alarms.Add(new Alarm(s, series.Members[u]));
            }
        }
        return result;
    }
}
