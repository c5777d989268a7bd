using System.Collections.Concurrent;
using Dispatch.EarlyWarning;
using Dispatch.EarlyWarning.Scan;

namespace Dispatch.Server.Alerts;

/// <summary>A day's counts, baselines and Monte Carlo nulls, ready to score.</summary>
/// <param name="Villages">Null while the history is too short to fit the village baselines.</param>
/// <param name="EarsNull">The citywide maxima of EARS C2 (<see cref="RegionEars"/>); null with the village baselines.</param>
/// <param name="Drawn">Nulls this preparation had to draw; <paramref name="Loaded"/>: found stored (not in memory).</param>
public sealed record DayModel(DateOnly Day, Zones Zones, GridDays Counts, GridDays ScanWindow, GridDays ScanBaselines, ScanNull ScanNull,
    RegionBaselines? Villages, ScanNull? CusumNull, ScanNull? EwmaNull, int Drawn, int Loaded, ScanNull? EarsNull = null);

/// <summary>
/// Prepares a day for scoring: the reports of the last 63 days, the scan's baselines (each grid's
/// mean over the 28 days before the 7-day window, by the city's weekday rhythm), the villages' baselines for the charts (fitted
/// on the first 35 days), and the Monte Carlo nulls of the scan and of both charts. Baselines
/// depend only on days a week or more before the scored day, so the nightly refresh prepares
/// tomorrow before midnight and every run of the day finds its nulls drawn.
/// Prepared days are kept in memory: a later run of the day reads only the reports of today and
/// yesterday again (<see cref="RecentDays"/>: still arriving, still being marked duplicates) — a
/// correction to an older day's reports reaches the counts when the next day is prepared.
/// </summary>
public sealed class DayModels(ScoringInputs inputs, MonteCarloNulls nulls)
{
    // One thread for the nulls (DetectorSettings): the other core keeps answering dispatchers meanwhile.
    public static readonly ScanOptions Scan = DetectorSettings.Production.Scan;

    /// <summary>
    /// Village charts: 35 training days, 28 charted (ending today), α = 0.003 each — about one false
    /// alarm day per 330 days citywide per chart, their share of <see cref="AlarmBudget"/>. Villages rather than townships: in the evaluation the village series were where
    /// CUSUM and EWMA detect (a village's 3-day 5 SD spike: EWMA 0.73, CUSUM 0.57 against 0.10 and
    /// 0.07 on township series, whose other villages dilute it), and grid series (≈ 0.3 reports a
    /// day) were too sparse for either. At ≈ 1–1.5 reports a village-day the NB likelihood still
    /// handles the small counts, and the null's threshold takes their sparseness into account.
    /// </summary>
    public static readonly RegionChartOptions Charts = DetectorSettings.Production.Charts;
    const int ScanBaselineDays = 28;
    /// <summary>EARS judges a day with at least 3 reports (a village's 1 → 3 is not an outbreak), in its null as live.</summary>
    public const int EarsMinCount = 3;
    const int RecentDays = 2;

    readonly ConcurrentDictionary<DateOnly, DayModel> _prepared = new();

    public async Task<DayModel> PrepareAsync(DateOnly day, CancellationToken ct)
    {
        var (zones, _, villages) = await inputs.GeographyAsync(ct);
        if (_prepared.TryGetValue(day, out var kept) && ReferenceEquals(kept.Zones, zones))
        {
            // Baselines and nulls depend on days a week or more back: only the latest counts change.
            var latest = kept.Counts.Copy();
            await inputs.ReadCountsAsync(latest, zones, RecentDays, ct);
            return kept with { Counts = latest, ScanWindow = ScanInputs(latest).Window, Drawn = 0, Loaded = 0 };
        }
        var counts = await inputs.CountsAsync(zones, day, ct);
        var (window, baselines) = ScanInputs(counts);
        int drawn = 0, loaded = 0;
        void Count(MonteCarloNulls.Source s, int n) { if (s == MonteCarloNulls.Source.Drawn) drawn += n; else if (s == MonteCarloNulls.Source.Stored) loaded += n; }

        var scanPrint = ExpectationBasedScan.Fingerprint(zones, baselines, Scan);
        var (scan, scanSource) = await nulls.GetAsync(day, [(ExpectationBasedScan.Detector, scanPrint)],
            () => [ExpectationBasedScan.Null(zones, baselines, Scan, new Random(unchecked((int)scanPrint)))], ct);
        Count(scanSource, 1);

        var regional = RegionBaselines.Fit(counts, villages.Grids, Charts.TrainingDays);
        ScanNull? cusum = null, ewma = null, ears = null;
        if (regional is not null)
        {
            var cusumPrint = regional.Fingerprint(ChartMethod.Cusum, Charts);
            var (charts, chartSource) = await nulls.GetAsync(day,
                [(RegionCharts.CusumDetector, cusumPrint), (RegionCharts.EwmaDetector, regional.Fingerprint(ChartMethod.Ewma, Charts))],
                () => { var (c, e) = RegionCharts.Null(regional, Charts, new Random(unchecked((int)cusumPrint))); return [c, e]; }, ct);
            (cusum, ewma) = (charts[0], charts[1]);
            Count(chartSource, 2);

            var earsPrint = RegionEars.Fingerprint(regional, villages.Townships, DetectorSettings.Production.Ears, Charts.Replicates, EarsMinCount);
            var (earsNull, earsSource) = await nulls.GetAsync(day, [(RegionEars.Detector, earsPrint)],
                () => [RegionEars.Null(regional, villages.Townships, DetectorSettings.Production.Ears, Charts.Replicates, EarsMinCount,
                    Charts.MaxDegreeOfParallelism, new Random(unchecked((int)earsPrint)))], ct);
            ears = earsNull[0];
            Count(earsSource, 1);
        }
        var model = new DayModel(day, zones, counts, window, baselines, scan[0], regional, cusum, ewma, drawn, loaded, ears);
        foreach (var old in _prepared.Keys.Where(d => d < day.AddDays(-1))) _prepared.TryRemove(old, out _);
        _prepared[day] = model;
        return model;
    }

    /// <summary>Forgets the prepared days and the nulls held in memory, as a restart does (stored nulls stay).</summary>
    public void ForgetMemory()
    {
        _prepared.Clear();
        nulls.ForgetMemory();
    }

    /// <summary>
    /// The scan's last 7 days and each grid's expected daily count there: its mean over the 28 days
    /// before the window, with half a report added so that a grid with no history is not infinitely
    /// surprised by its first, times the city's weekday factor — the mean of that weekday over the
    /// 28 days (four of each) against the mean of all of them — so that a Monday, which brings more
    /// reports everywhere, is not a cluster of its own, nor a quiet Sunday a cover for one.
    /// </summary>
    internal static (GridDays Window, GridDays Baselines) ScanInputs(GridDays counts)
    {
        var w = Scan.MaxWindow;
        var first = counts.Days - w - ScanBaselineDays;
        var window = new GridDays(counts.End.AddDays(1 - w), counts.Grids, w);
        var baselines = new GridDays(window.Start, counts.Grids, w);

        var byWeekday = new double[7];
        var all = 0.0;
        for (var d = first; d < counts.Days - w; d++)
            for (var g = 0; g < counts.Grids; g++)
            {
                byWeekday[(int)counts.DateOf(d).DayOfWeek] += counts[g, d];
                all += counts[g, d];
            }
        // Four of each weekday in the 28 days; a city with no reports yet has no weekly rhythm either.
        var factor = byWeekday.Select(x => all > 0 ? x / (all / 7) : 1.0).ToArray();

        for (var g = 0; g < counts.Grids; g++)
        {
            var sum = 0.0;
            for (var d = first; d < counts.Days - w; d++) sum += counts[g, d];
            for (var d = 0; d < w; d++)
            {
                baselines[g, d] = (sum + 0.5) / ScanBaselineDays * factor[(int)window.DateOf(d).DayOfWeek];
                window[g, d] = counts[g, counts.Days - w + d];
            }
        }
        return (window, baselines);
    }
}
