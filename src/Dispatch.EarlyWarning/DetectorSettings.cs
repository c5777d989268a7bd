using Dispatch.EarlyWarning.Patterns;
using Dispatch.EarlyWarning.Scan;

namespace Dispatch.EarlyWarning;

/// <summary>
/// The detector parameters the platform scores with. The server's scoring run and the evaluation
/// (Dispatch.EarlyWarning.Evaluation, <c>./run.sh evaluate-early-warning</c>) both read
/// <see cref="Production"/>, so what docs/early-warning.md measured is what the alerts run.
/// </summary>
/// <param name="Ears">EARS C1–C3 on a region's own 7-day history.</param>
/// <param name="Cusum">NB likelihood-ratio CUSUM for a doubling (κ = 2, k = 0), scores only.</param>
/// <param name="Ewma">EWMA of Pearson residuals (λ = 0.2), scores only.</param>
/// <param name="Scan">The expectation-based Poisson scan and its Monte Carlo null.</param>
/// <param name="Charts">The village charts (<see cref="RegionCharts"/>) and their null.</param>
/// <param name="Silence">Silent grids.</param>
/// <param name="Repeats">The chance test a repeat place must pass to be an alarm.</param>
/// <param name="Budget">Each detector's share of the city's false-alarm budget.</param>
public sealed record DetectorSettings(EarsOptions Ears, CusumOptions Cusum, EwmaOptions Ewma, ScanOptions Scan,
    RegionChartOptions Charts, SilentGridOptions Silence, RepeatChanceOptions Repeats, AlarmBudget Budget)
{
    public static readonly DetectorSettings Production = new(
        // R's minSigma = 1, as the evaluation calibrated it: a series with a week of identical days
        // (most often all zero) has σ = 0, and without a floor its next few reports would score +∞
        // and alarm — the commonest false alarm of a quiet city — so no threshold could be calibrated.
        Ears: new EarsOptions(MinSigma: 1),
        // Without resets and with h and L out of reach: the score is the statistic itself, and the
        // threshold comes from a Monte Carlo null (RegionCharts) or from calibration (the evaluation),
        // not from the design values h = 5, L = 3, which alarm every few days among a thousand villages.
        Cusum: new CusumOptions(CusumIncrement.LikelihoodRatio, K: 0, H: 1e12, Shift: 2, ResetAfterAlarm: false),
        Ewma: new EwmaOptions(Lambda: 0.2, L: 1e12, ResetAfterAlarm: false),
        // One thread for the nulls: on the server the other core keeps answering dispatchers meanwhile.
        Scan: new ScanOptions(MaxWindow: 7, Replicates: 999, MaxClusters: 5, MaxDegreeOfParallelism: 1),
        // Village charts: 35 training days, 28 charted (ending today), α = 0.003 each — about one false
        // alarm day per 330 days citywide per chart, their share of the AlarmBudget below.
        Charts: new RegionChartOptions(TrainingDays: 35, Replicates: 999, Alpha: 0.003, MaxDegreeOfParallelism: 1),
        // Silence is judged in every one of 4,122 grids every day: at the detector's default α = 0.001
        // per grid that is about four false alarms a day; 1e-5 was one in 25 days, 1e-6 is one in ≈ 250
        // (its share of the AlarmBudget below).
        Silence: new SilentGridOptions(Alpha: 1e-6),
        // Repeat places against their own eight weeks before (RepeatChance has the arithmetic): on a year of the
        // generated city, ≈ 1,500 places a day reach "3 in 7 days" by chance, at ≈ 18 reports per 8 weeks each.
        Repeats: new RepeatChanceOptions(BackgroundDays: 56, Alpha: 2e-6),
        Budget: AlarmBudget.Production);
}

/// <summary>
/// The city's false-alarm budget — about one alarm day in 30 on a signal-free city, ≈ 12 a year —
/// shared out explicitly among the detectors (issue 15), each judged against the citywide maximum of
/// its own signal-free null, so that the shares add up (a union bound: the days overlap, the sum is
/// an upper bound). Per day: the scan 0.01 (≈ 3.7 days a year), CUSUM, EWMA and EARS 0.003 each
/// (≈ 1.1 each), silent grids ≈ 1.5 and repeat places ≈ 3 (their α in <see cref="DetectorSettings"/>):
/// ≈ 11.5 alarm days a year at most. The replay (<c>./run.sh replay-early-warning</c>) measures it.
/// </summary>
/// <param name="Scan">The expectation-based scan's p-value threshold against its citywide null.</param>
/// <param name="Ears">EARS C2's, against the citywide maxima of <see cref="RegionEars"/>.</param>
public sealed record AlarmBudget(double Scan, double Ears)
{
    public static readonly AlarmBudget Production = new(Scan: 0.01, Ears: 0.003);
}
