using System.Collections.Concurrent;
using System.Diagnostics;
using Dispatch.EarlyWarning;
using Dispatch.EarlyWarning.Patterns;
using Dispatch.EarlyWarning.Scan;
using Npgsql;

namespace Dispatch.Server.Alerts;

public sealed record ScoreSummary(DateOnly Day, int Signals, int Raised, int Updated, int Unchanged, int AlreadyHandled, double Seconds);

/// <summary>
/// The scoring run (every 5 minutes, and on demand): reads the last nine weeks of reports per grid
/// and day (Beijing days; likely duplicates left out), runs the detectors of Dispatch.EarlyWarning —
/// EARS C2 on each village's and township's series, the expectation-based Poisson scan over
/// k-nearest-grid zones for the last 7 days, silent grids, repeat places within 7 days — and
/// settles what they find as alerts (<see cref="RaiseAlerts"/>: idempotent, one per signal).
/// The scan's Monte Carlo null depends only on the baselines, which change once a day: it is drawn
/// on the first run of a day and kept (by fingerprint) for the runs after it.
/// </summary>
public sealed class ScoreAlerts(NpgsqlDataSource db, RaiseAlerts raise, TimeProvider clock, ILogger<ScoreAlerts> log)
{
    const int HistoryDays = 63;
    const int BaselineDays = 28;
    // One thread for the Monte Carlo null: it is drawn once a day, and the other core keeps answering dispatchers meanwhile.
    public static readonly ScanOptions Scan = new(MaxWindow: 7, Replicates: 999, MaxClusters: 5, MaxDegreeOfParallelism: 1);

    /// <summary>
    /// Silence is judged in every one of 4,122 grids every day: at the detector's default α = 0.001
    /// per grid that is about four false alarms a day. α = 1e-5 keeps the city to one false silent
    /// grid in roughly 25 days, inside the ≤ 30 alarms a year of BENCHMARKS.md.
    /// </summary>
    static readonly SilentGridOptions Silence = new(Alpha: 1e-5);
    const int ZoneSize = 10;

    static readonly ConcurrentDictionary<ulong, ScanNull> Nulls = new();
    static Zones? _zones;
    static Dictionary<string, string>? _names;

    public async Task<ScoreSummary> RunAsync(CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(Common.Clock.Beijing).DateTime);
        var zones = _zones ??= await ZonesAsync(ct);
        var names = _names ??= await NamesAsync(ct);
        var counts = await CountsAsync(zones, today, ct);

        var signals = new List<Signal>();
        signals.AddRange(Ears(counts, zones, names, 12));
        signals.AddRange(Ears(counts, zones, names, 9));
        signals.AddRange(ScanClusters(counts, zones, names));
        signals.AddRange(Silent(counts, zones, names));
        signals.AddRange(await RepeatPlacesAsync(today, names, ct));

        int raised = 0, updated = 0, unchanged = 0, handled = 0;
        foreach (var signal in signals)
            switch (await raise.SettleAsync(signal, ct))
            {
                case RaiseAlerts.Outcome.Raised: raised++; break;
                case RaiseAlerts.Outcome.Updated: updated++; break;
                case RaiseAlerts.Outcome.Unchanged: unchanged++; break;
                default: handled++; break;
            }
        var summary = new ScoreSummary(today, signals.Count, raised, updated, unchanged, handled, started.Elapsed.TotalSeconds);
        log.LogInformation("预警评分 {Day}：信号 {Signals}，新预警 {Raised}，更新 {Updated}，未变 {Unchanged}，已处置 {Handled}，用时 {Seconds:F2} 秒",
            today, signals.Count, raised, updated, unchanged, handled, summary.Seconds);
        return summary;
    }

    /// <summary>EARS C2 (baseline 7, α 0.001, as R's earsC) on the daily series of each region of <paramref name="length"/> digits; today alarming with at least 3 reports.</summary>
    static IEnumerable<Signal> Ears(GridDays counts, Zones zones, Dictionary<string, string> names, int length)
    {
        var series = new Dictionary<string, double[]>();
        for (var g = 0; g < counts.Grids; g++)
        {
            var region = zones.Grids[g].Code[..length];
            if (!series.TryGetValue(region, out var s)) series[region] = s = new double[counts.Days];
            for (var d = 0; d < counts.Days; d++) s[d] += counts[g, d];
        }
        foreach (var (region, s) in series)
        {
            var judged = Dispatch.EarlyWarning.Ears.C2(s);
            if (judged.Length == 0 || judged[^1] is not { Alarm: true } last || last.Day != counts.Days - 1 || last.Count < 3) continue;
            var grids = zones.Grids.Select(g => g.Code).Where(c => c.StartsWith(region, StringComparison.Ordinal)).ToList();
            var level = last.Count >= 2 * Math.Max(1, last.Threshold) ? "yellow" : "blue";
            yield return new Signal("ears-c2", region, grids, level,
                $"{Name(names, region)}今日上报量异常升高",
                $"EARS C2 检测：{Name(names, region)}今日上报 {last.Count:0} 起，高于依据前 7 天（间隔 2 天）得出的警戒线 {last.Threshold:0.0} 起" +
                $"（C2 统计量 {last.Score:0.0}，α = 0.001）。",
                last.Count, last.Threshold, last.Score, null, counts.End, counts.End);
        }
    }

    /// <summary>The expectation-based Poisson scan (Neill) over the last 7 days; clusters with p &lt; 0.05.</summary>
    static IEnumerable<Signal> ScanClusters(GridDays counts, Zones zones, Dictionary<string, string> names)
    {
        // Each grid's expected daily count: its mean over the 28 days before the window, with half a
        // report added so that a grid with no history is not infinitely surprised by its first.
        var window = new GridDays(counts.End.AddDays(1 - Scan.MaxWindow), counts.Grids, Scan.MaxWindow);
        var baselines = new GridDays(window.Start, counts.Grids, Scan.MaxWindow);
        for (var g = 0; g < counts.Grids; g++)
        {
            var sum = 0.0;
            for (var d = counts.Days - Scan.MaxWindow - BaselineDays; d < counts.Days - Scan.MaxWindow; d++) sum += counts[g, d];
            for (var d = 0; d < Scan.MaxWindow; d++)
            {
                baselines[g, d] = (sum + 0.5) / BaselineDays;
                window[g, d] = counts[g, counts.Days - Scan.MaxWindow + d];
            }
        }
        var fingerprint = ExpectationBasedScan.Fingerprint(zones, baselines, Scan);
        var nul = Nulls.GetOrAdd(fingerprint, _ =>
        {
            foreach (var old in Nulls.Keys) Nulls.TryRemove(old, out var _); // one day's null at a time
            return ExpectationBasedScan.Null(zones, baselines, Scan, new Random(unchecked((int)fingerprint)));
        });
        foreach (var c in ExpectationBasedScan.Score(zones, window, baselines, Scan, nul).Where(c => c.PValue < 0.05))
        {
            var level = c.PValue <= 0.001 && c.RelativeRisk >= 3 ? "red" : c.PValue <= 0.01 ? "orange" : "yellow";
            var region = Signal.RegionOf(c.Grids.ToList());
            yield return new Signal(ExpectationBasedScan.Detector, region, c.Grids, level,
                $"{Name(names, c.Centre)}及周边 {c.Grids.Count - 1} 个网格出现事件聚集",
                $"时空扫描（期望泊松扫描，Neill）：以{Name(names, c.Centre)}为中心、半径约 {c.RadiusMetres:0} 米的 {c.Grids.Count} 个网格，" +
                $"近 {c.Days} 天（{c.From:MM-dd} 至 {c.To:MM-dd}）上报 {c.Observed:0} 起，按前 28 天基线应为 {c.Expected:0.0} 起" +
                $"（{c.RelativeRisk:0.0} 倍），似然比得分 {c.Score:0.0}，蒙特卡洛 p = {c.PValue:0.000}（{c.Replicates} 次模拟）。",
                c.Observed, c.Expected, c.Score, c.PValue, c.From, c.To);
        }
    }

    static IEnumerable<Signal> Silent(GridDays counts, Zones zones, Dictionary<string, string> names) =>
        SilentGrids.Find(zones, counts, Silence).Select(s => new Signal(SilentGrids.Detector, s.Grid, [s.Grid], "blue",
            $"{Name(names, s.Grid)}已连续 {s.Days} 天无上报",
            $"静默网格：{Name(names, s.Grid)}自 {s.From:MM-dd} 起连续 {s.Days} 天没有上报，按其以往每天 {s.Rate:0.00} 起应有约 {s.Expected:0.0} 起，" +
            $"同期周边 {s.Neighbours.Count} 个网格上报 {s.NeighbourObserved:0} 起；无上报的概率 {s.Probability:0.0000}。请核实网格员是否在岗、群众是否有诉求未反映。",
            0, s.Expected, null, s.Probability, s.From, s.To));

    async Task<IEnumerable<Signal>> RepeatPlacesAsync(DateOnly today, Dictionary<string, string> names, CancellationToken ct)
    {
        var incidents = new List<PatternIncident>();
        var grids = new Dictionary<long, string>();
        await using (var cmd = db.CreateCommand("""
            SELECT id, created_at, ST_X(location), ST_Y(location), grid_code, category_code, priority FROM incident
            WHERE created_at >= $1 AND duplicate_of IS NULL AND status NOT IN ('rejected', 'cancelled')
            """))
        {
            cmd.Parameters.Add(new() { Value = new DateTimeOffset(today.AddDays(-7).ToDateTime(TimeOnly.MinValue), Common.Clock.Beijing).ToUniversalTime() });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                incidents.Add(new PatternIncident(r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), r.GetDouble(2), r.GetDouble(3),
                    Severity: DisputeSeverity.Of(r.GetString(5), r.GetInt16(6))));
                grids[r.GetInt64(0)] = r.GetString(4);
            }
        }
        return RepeatIncidents.AtPlaces(incidents).Select(s =>
        {
            var codes = s.IncidentIds.Select(id => grids[id]).Distinct().Order().ToList();
            var region = Signal.RegionOf(codes);
            return new Signal(RepeatIncidents.PlaceDetector, region, codes, s.MostInWindow >= 5 ? "orange" : "yellow",
                $"{Name(names, codes[0])}同一地点 7 天内 {s.MostInWindow} 起事件",
                $"重复地点：{s.From:MM-dd} 至 {s.To:MM-dd}，同一地点（50 米内）共 {s.IncidentIds.Count} 起事件（任意 7 天内最多 {s.MostInWindow} 起），" +
                $"事件编号 {string.Join("、", s.IncidentIds.Take(10))}。矛盾可能反复、升级，建议上门走访化解。",
                s.IncidentIds.Count, null, s.MostInWindow, null, s.From, s.To);
        });
    }

    async Task<GridDays> CountsAsync(Zones zones, DateOnly today, CancellationToken ct)
    {
        var start = today.AddDays(1 - HistoryDays);
        var counts = new GridDays(start, zones.Grids.Count, HistoryDays);
        await using var cmd = db.CreateCommand("""
            SELECT grid_code, (created_at AT TIME ZONE 'Asia/Shanghai')::date - $1::date, count(*)::int FROM incident
            WHERE created_at >= $2 AND duplicate_of IS NULL GROUP BY 1, 2
            """);
        cmd.Parameters.Add(new() { Value = start });
        cmd.Parameters.Add(new() { Value = new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), Common.Clock.Beijing).ToUniversalTime() });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var day = r.GetInt32(1);
            var grid = zones.IndexOf(r.GetString(0));
            if (grid >= 0 && day is >= 0 and < HistoryDays) counts[grid, day] = r.GetInt32(2);
        }
        return counts;
    }

    async Task<Zones> ZonesAsync(CancellationToken ct)
    {
        var grids = new List<GridPoint>();
        await using var cmd = db.CreateCommand("SELECT code, ST_X(service_point), ST_Y(service_point) FROM grid ORDER BY code");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) grids.Add(new GridPoint(r.GetString(0), r.GetDouble(1), r.GetDouble(2)));
        return Zones.Nearest(grids, ZoneSize);
    }

    async Task<Dictionary<string, string>> NamesAsync(CancellationToken ct)
    {
        var names = new Dictionary<string, string>();
        await using var cmd = db.CreateCommand("SELECT code, name FROM region UNION ALL SELECT code, name FROM grid");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) names[r.GetString(0)] = r.GetString(1);
        return names;
    }

    static string Name(Dictionary<string, string> names, string code) => names.GetValueOrDefault(code, code);
}
