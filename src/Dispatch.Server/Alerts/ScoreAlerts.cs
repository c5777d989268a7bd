using System.Diagnostics;
using Dispatch.EarlyWarning;
using Dispatch.EarlyWarning.Patterns;
using Dispatch.EarlyWarning.Scan;

namespace Dispatch.Server.Alerts;

/// <param name="Alarms">Of the run's alerts-to-be (events and single signals), the statistical alarms; <paramref name="Notices"/> the rules.</param>
/// <param name="RaisedAlarms">New alarm-lane alerts this run raised, by detector of the alert.</param>
public sealed record ScoreSummary(DateOnly Day, int Signals, int Raised, int Updated, int Unchanged, int AlreadyHandled, double Seconds,
    int NullsDrawn, int NullsLoaded, int Alarms = 0, int Notices = 0, IReadOnlyDictionary<string, int>? RaisedAlarms = null);

/// <summary>
/// The scoring run (every 5 minutes, and on demand): reads the last nine weeks of reports per grid
/// and day (Beijing days; likely duplicates left out), runs the detectors of Dispatch.EarlyWarning —
/// EARS C2 on each village's and township's series, NB CUSUM and EWMA on each village's residuals
/// from its baseline, the expectation-based Poisson scan over k-nearest-grid zones for the last
/// 7 days, silent grids, repeat places within 7 days, changes of a village's 三零 standing — merges
/// the excess findings of one developing event (<see cref="DevelopingEvents"/>) and settles what
/// they find as alerts (<see cref="RaiseAlerts"/>: idempotent, one per event or signal).
/// The Monte Carlo nulls depend only on the baselines, which change once a day: the nightly
/// refresh draws them (<see cref="RefreshBaselines"/>) and every run finds them (<see cref="DayModels"/>).
/// </summary>
public sealed class ScoreAlerts(DayModels models, ScoringInputs inputs, ThreeZeroStandings standings, RaiseAlerts raise, TimeProvider clock,
    ILogger<ScoreAlerts> log)
{
    /// <summary>Loads what a run reads and keeps (the geography, today's counts, baselines and nulls) without scoring.</summary>
    public async Task<TimeSpan> WarmUpAsync(CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        await models.PrepareAsync(Today(), ct);
        return started.Elapsed;
    }

    DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(Clock.Beijing).DateTime);

    public async Task<ScoreSummary> RunAsync(CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        var today = Today();
        var (zones, names, villages) = await inputs.GeographyAsync(ct);
        var day = await models.PrepareAsync(today, ct);
        var counts = day.Counts;

        var signals = new List<Signal>();
        signals.AddRange(Ears(counts, zones, names, 12, day.EarsNull));
        signals.AddRange(Ears(counts, zones, names, 9, day.EarsNull));
        signals.AddRange(ChartSignals.Find(day, villages, zones, names));
        signals.AddRange(ScanClusters(day, zones, names));
        signals.AddRange(Silent(counts, zones, names));
        signals.AddRange(await RepeatPlacesAsync(today, names, ct));
        signals.AddRange(await BetweenPartiesAsync(today, names, ct));
        var threeZero = await standings.ChangesAsync(today, villages.Codes, ct);
        var lost = threeZero.Where(z => z.Change is { Lost.Count: > 0 }).Select(z => ThreeZeroStandings.Signal(z.Change!, villages, names)).ToList();
        signals.AddRange(lost);
        for (var i = 0; i < signals.Count; i++)
            if (signals[i].Spot is null) signals[i] = signals[i] with { Spot = Busiest(counts, zones, signals[i]) };

        // One alert per developing event: the excess findings that overlap merge (DevelopingEvents), the rest stand alone.
        var merged = DevelopingEvents.Merge(signals, code => Name(names, code));
        var events = await raise.SettleEventsAsync([.. merged.Where(s => s.Evidence is not null)], today, ct);
        var (toSettle, unchanged, handled) = await raise.SortAsync([.. merged.Where(s => s.Evidence is null)], ct);
        int raised = events.Raised, updated = events.Updated + events.Faded;
        (unchanged, handled) = (unchanged + events.Unchanged, handled + events.AlreadyHandled);
        var raisedAlarms = events.RaisedBy.ToDictionary();
        foreach (var signal in toSettle)
            switch (await raise.SettleAsync(signal, ct))
            {
                case RaiseAlerts.Outcome.Raised:
                    raised++;
                    if (signal.Lane == "alarm") raisedAlarms[signal.Detector] = raisedAlarms.GetValueOrDefault(signal.Detector) + 1;
                    break;
                case RaiseAlerts.Outcome.Updated: updated++; break;
                case RaiseAlerts.Outcome.Unchanged: unchanged++; break;
                default: handled++; break;
            }
        // After the alerts: a crash before this line finds the same changes next run, and settles them again, once.
        await standings.RecordAsync([.. threeZero.Select(z => z.Now)], ct);

        var summary = new ScoreSummary(today, signals.Count, raised, updated, unchanged, handled, started.Elapsed.TotalSeconds, day.Drawn, day.Loaded,
            merged.Count(s => s.Lane == "alarm"), merged.Count(s => s.Lane == "notice"), raisedAlarms);
        log.LogInformation("预警评分 {Day}：信号 {Signals}，新预警 {Raised}，更新 {Updated}，未变 {Unchanged}，已处置 {Handled}，用时 {Seconds:F2} 秒（新抽零分布 {Drawn}）",
            today, signals.Count, raised, updated, unchanged, handled, summary.Seconds, day.Drawn);
        return summary;
    }

    /// <summary>
    /// The service point of the signal's grid with the most reports over its window (the first of
    /// its list when none has any: a silent grid, a 三零 change without reports in the window) —
    /// where a task made from it goes, rather than the first grid of a township.
    /// </summary>
    static Spot? Busiest(GridDays counts, Zones zones, Signal s)
    {
        var (from, to) = (Math.Max(0, s.From.DayNumber - counts.Start.DayNumber), Math.Min(counts.Days - 1, s.To.DayNumber - counts.Start.DayNumber));
        int best = -1;
        var most = -1.0;
        foreach (var code in s.Grids)
        {
            var g = zones.IndexOf(code);
            if (g < 0) continue;
            var sum = 0.0;
            for (var d = from; d <= to; d++) sum += counts[g, d];
            if (sum > most) (best, most) = (g, sum);
        }
        return best < 0 ? null : new Spot(zones.Grids[best].Lon, zones.Grids[best].Lat);
    }

    /// <summary>
    /// EARS C2 (baseline 7, as R's earsC, σ floored at 1: <see cref="DetectorSettings.Production"/>) on the
    /// daily series of each region of <paramref name="length"/> digits, today with at least 3 reports. Judged
    /// against the citywide maxima of signal-free cities (<see cref="RegionEars"/>) at its share of the
    /// budget; while the history is too short for the village baselines (no null), at R's α = 0.001 per series.
    /// </summary>
    static IEnumerable<Signal> Ears(GridDays counts, Zones zones, Dictionary<string, string> names, int length, ScanNull? nul)
    {
        var series = new Dictionary<string, double[]>();
        for (var g = 0; g < counts.Grids; g++)
        {
            var region = zones.Grids[g].Code[..length];
            if (!series.TryGetValue(region, out var s)) series[region] = s = new double[counts.Days];
            for (var d = 0; d < counts.Days; d++) s[d] += counts[g, d];
        }
        var alpha = DetectorSettings.Production.Budget.Ears;
        foreach (var (region, s) in series)
        {
            var judged = Dispatch.EarlyWarning.Ears.C2(s, DetectorSettings.Production.Ears);
            if (judged.Length == 0) continue;
            var last = judged[^1];
            if (last.Day != counts.Days - 1 || last.Count < DayModels.EarsMinCount) continue;
            double? p = nul?.PValue(last.Score);
            if (nul is null ? !last.Alarm : !(p < alpha)) continue;
            var grids = zones.Grids.Select(g => g.Code).Where(c => c.StartsWith(region, StringComparison.Ordinal)).ToList();
            var level = last.Count >= 2 * Math.Max(1, last.Threshold) ? "yellow" : "blue";
            var judgedBy = nul is null
                ? "α = 0.001"
                : $"全市无异常时各村、乡镇当日 C2 最大值的 {1 - alpha:0.0%} 分位以上，蒙特卡洛 p = {p:0.000}（{nul.Replicates} 次模拟）；{Signal.Recurrence(p!.Value, nul.Replicates)}";
            yield return new Signal("ears-c2", region, grids, level,
                $"{Name(names, region)}今日上报量异常升高",
                $"EARS C2 检测：{Name(names, region)}今日上报 {last.Count:0} 起，高于依据前 7 天（间隔 2 天）得出的警戒线 {last.Threshold:0.0} 起" +
                $"（C2 统计量 {last.Score:0.0}，{judgedBy}）。",
                last.Count, last.Threshold, last.Score, p, counts.End, counts.End);
        }
    }

    /// <summary>The expectation-based Poisson scan (Neill) over the last 7 days; clusters with p ≤ its share of the budget (0.01).</summary>
    static IEnumerable<Signal> ScanClusters(DayModel day, Zones zones, Dictionary<string, string> names)
    {
        foreach (var c in ExpectationBasedScan.Score(zones, day.ScanWindow, day.ScanBaselines, DayModels.Scan, day.ScanNull)
                     .Where(c => c.PValue <= DetectorSettings.Production.Budget.Scan))
        {
            var level = c.PValue <= 0.001 && c.RelativeRisk >= 3 ? "red" : c.PValue <= 0.01 ? "orange" : "yellow";
            var region = Signal.RegionOf(c.Grids.ToList());
            yield return new Signal(ExpectationBasedScan.Detector, region, c.Grids, level,
                c.Grids.Count == 1 ? $"{Name(names, c.Centre)}出现事件聚集" : $"{Name(names, c.Centre)}及周边 {c.Grids.Count - 1} 个网格出现事件聚集",
                (c.Grids.Count == 1 ? $"时空扫描（期望泊松扫描，Neill）：{Name(names, c.Centre)}，"
                    : $"时空扫描（期望泊松扫描，Neill）：以{Name(names, c.Centre)}为中心、半径约 {c.RadiusMetres:0} 米的 {c.Grids.Count} 个网格，") +
                $"近 {c.Days} 天（{c.From:MM-dd} 至 {c.To:MM-dd}）上报 {c.Observed:0} 起，按前 28 天基线应为 {c.Expected:0.0} 起" +
                $"（{c.RelativeRisk:0.0} 倍），似然比得分 {c.Score:0.0}，蒙特卡洛 p = {c.PValue:0.000}（{c.Replicates} 次模拟）；{Signal.Recurrence(c.PValue, c.Replicates)}。",
                c.Observed, c.Expected, c.Score, c.PValue, c.From, c.To);
        }
    }

    static IEnumerable<Signal> Silent(GridDays counts, Zones zones, Dictionary<string, string> names) =>
        SilentGrids.Find(zones, counts, DetectorSettings.Production.Silence, lastDayOpen: true).Select(s => new Signal(SilentGrids.Detector, s.Grid, [s.Grid], "blue",
            $"{Name(names, s.Grid)}已连续 {s.Days} 天无上报",
            $"静默网格：{Name(names, s.Grid)}自 {s.From:MM-dd} 起连续 {s.Days} 天没有上报，按其以往每天 {s.Rate:0.00} 起应有约 {s.Expected:0.0} 起，" +
            $"同期周边 {s.Neighbours.Count} 个网格上报 {s.NeighbourObserved:0} 起；无上报的概率 {s.Probability:0.0000}。请核实网格员是否在岗、群众是否有诉求未反映。",
            0, s.Expected, null, s.Probability, s.From, s.To));

    /// <summary>
    /// Repeat places (≥ 3 reports within 50 m in 7 days) that are unlikely by chance: the window's
    /// count against the place's own reports of the 8 weeks before (<see cref="RepeatChance"/>) — a
    /// busy gate's ordinary week is not an alarm, four reports where there were none are.
    /// </summary>
    async Task<IEnumerable<Signal>> RepeatPlacesAsync(DateOnly today, Dictionary<string, string> names, CancellationToken ct)
    {
        var (incidents, grids) = await inputs.RecentIncidentsAsync(today.AddDays(-7), today, ct);
        var at = incidents.ToDictionary(i => i.Id);
        var chance = DetectorSettings.Production.Repeats;
        // A series that would be no alarm even at a place without any background needs no look-up (the p-value only grows with it).
        var series = RepeatIncidents.AtPlaces(incidents).Where(s => RepeatChance.PValue(s.MostInWindow, 0, chance.BackgroundDays, RepeatOptions.Default.Days) <= chance.Alpha).ToList();
        var places = series.Select(s => new Spot(s.IncidentIds.Average(id => at[id].Lon), s.IncidentIds.Average(id => at[id].Lat))).ToList();
        var backgroundFrom = today.AddDays(-7 - chance.BackgroundDays);
        var backgrounds = await inputs.ReportsNearAsync(places, RepeatOptions.Default.RadiusMetres, backgroundFrom, today.AddDays(-7), ct);
        return series.Select((s, n) => (s, n, p: RepeatChance.PValue(s.MostInWindow, backgrounds[n], chance.BackgroundDays, RepeatOptions.Default.Days)))
            .Where(x => x.p <= chance.Alpha).Select(x =>
        {
            var (s, n, p) = x;
            var codes = s.IncidentIds.Select(id => grids[id]).Distinct().Order().ToList();
            var region = Signal.RegionOf(codes);
            return new Signal(RepeatIncidents.PlaceDetector, region, codes, s.MostInWindow >= 5 ? "orange" : "yellow",
                $"{Name(names, codes[0])}同一地点 7 天内 {s.MostInWindow} 起事件",
                $"重复地点：{s.From:MM-dd} 至 {s.To:MM-dd}，同一地点（50 米内）共 {s.IncidentIds.Count} 起事件（任意 7 天内最多 {s.MostInWindow} 起），" +
                $"事件编号 {string.Join("、", s.IncidentIds.Take(10))}。此处此前 {chance.BackgroundDays / 7} 周共 {backgrounds[n]} 起，" +
                $"按此背景 7 天内出现 {s.MostInWindow} 起的概率 p = {p:0.0e0}。矛盾可能反复、升级，建议上门走访化解。",
                s.IncidentIds.Count, null, s.MostInWindow, p, s.From, s.To, places[n]);
        });
    }

    /// <summary>
    /// Cases between the same parties (their keyed hashes): three or more within 30 days is a repeat
    /// dispute (yellow); a series whose newest case is more serious than any before it — a quarrel
    /// that comes back as a fight, then as an assault — is 民转刑 risk (orange, red when it reached a
    /// criminal case).
    /// </summary>
    async Task<IEnumerable<Signal>> BetweenPartiesAsync(DateOnly today, Dictionary<string, string> names, CancellationToken ct)
    {
        var (incidents, grids) = await inputs.RecentIncidentsAsync(today.AddDays(-30), today, ct);
        var recent = incidents.Where(i => i.Day >= today.AddDays(-7)).Select(i => i.Id).ToHashSet();
        var at = incidents.ToDictionary(i => i.Id);
        // Between parties the place is the latest case's: where the dispute is now.
        Spot Latest(IEnumerable<long> ids)
        {
            var latest = ids.Select(id => at[id]).MaxBy(i => i.At)!;
            return new Spot(latest.Lon, latest.Lat);
        }
        var repeats = RepeatIncidents.BetweenParties(incidents, new RepeatOptions(Days: 30, MinIncidents: 3))
            .Where(s => s.IncidentIds.Any(recent.Contains)).Select(s =>
            {
                var codes = s.IncidentIds.Select(id => grids[id]).Distinct().Order().ToList();
                return new Signal(RepeatIncidents.PartiesDetector, Signal.RegionOf(codes), codes, "yellow",
                    $"{Name(names, codes[0])}同一当事人 30 天内 {s.IncidentIds.Count} 起纠纷",
                    $"重复当事人：{s.From:MM-dd} 至 {s.To:MM-dd}，相同当事人（按身份证号或手机号的加密摘要关联）共 {s.IncidentIds.Count} 起事件，" +
                    $"事件编号 {string.Join("、", s.IncidentIds.Take(10))}。矛盾反复，建议提交说事评理会或联席会研判。",
                    s.IncidentIds.Count, null, s.MostInWindow, null, s.From, s.To, Latest(s.IncidentIds));
            });
        var escalations = EscalatingDisputes.Find(incidents).Where(e => recent.Contains(e.LatestId)).Select(e =>
        {
            var codes = e.IncidentIds.Select(id => grids[id]).Distinct().Order().ToList();
            return new Signal(EscalatingDisputes.Detector, Signal.RegionOf(codes), codes, e.Severity >= 16 ? "red" : "orange",
                $"{Name(names, grids[e.LatestId])}矛盾升级（民转刑风险）",
                $"矛盾升级：相同当事人 {e.From:MM-dd} 至 {e.To:MM-dd} 的 {e.IncidentIds.Count} 起事件（编号 {string.Join("、", e.IncidentIds)}），" +
                $"最新一起（#{e.LatestId}）的严重程度 {e.Severity} 高于此前最高的 {e.PreviousMax}。请立即组织稳控、化解，必要时提级处置。",
                e.IncidentIds.Count, null, e.Severity, null, e.From, e.To, Latest(e.IncidentIds));
        });
        return repeats.Concat(escalations);
    }

    internal static string Name(Dictionary<string, string> names, string code) => names.GetValueOrDefault(code, code);
}
