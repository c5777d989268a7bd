using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Dispatch.Server.Kpis;
using Dispatch.EarlyWarning.Patterns;
using Dispatch.Server.ThreeZeros;
using Npgsql;

namespace Dispatch.Benchmarks;

/// <summary>
/// 考核 reads over a year of the city's past (<c>./run.sh generate-history</c>, ≈ 500,000 incidents):
/// the city's KPIs for a month, the township ranking, the 三零 board for the month and the year,
/// and the monthly briefing as JSON, as a page and as a PDF — each through a running server's
/// HTTP API as the city supervisor, warm, <c>--runs</c> times. Anchor, in the same run: the same
/// figures computed by a plain scan, straight on the database (no HTTP): for the KPIs, every incident
/// of the area joined to its steps (<see cref="PlainKpiSql"/>, the server's query before steps carried
/// their place); for 三零, a scan of the period's incidents with the board's own rule — and the
/// answers compared with the anchor's.
/// </summary>
public static class AssessmentReads
{
    public static async Task RunAsync(string[] args)
    {
        string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        var url = new Uri(Arg("--url", "http://127.0.0.1:5080"));
        var runs = int.Parse(Arg("--runs", "15"));
        var month = DateOnly.Parse(Arg("--month", DateTime.UtcNow.AddHours(8).AddMonths(-1).ToString("yyyy-MM-01")));
        var end = month.AddMonths(1).AddDays(-1);
        await using var db = new NpgsqlDataSourceBuilder(Arg("--db", "")).UseNetTopologySuite().Build();

        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
        var login = await http.PostAsJsonAsync("/api/auth/login", new { username = Arg("--user", "supervisor"), password = Arg("--password", "Dispatch#2026") });
        login.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new("Bearer", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());

        await using (var conn = await db.OpenConnectionAsync())
            Console.WriteLine($"incidents: {await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM incident"):N0}; " +
                              $"steps: {await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM incident_event"):N0}; month {month:yyyy-MM}; {runs} runs each; load {File.ReadAllText("/proc/loadavg").Trim()}");

        var q = $"from={month:yyyy-MM-dd}&to={end:yyyy-MM-dd}";
        var reads = new (string Name, string Path, double Target)[]
        {
            ("KPIs, city, month (+ 4 districts)", $"/api/kpis?{q}", 300),
            ("ranking of townships, month", $"/api/kpis/ranking?level=township&{q}", 300),
            ("三零 board, month (1,041 villages)", $"/api/three-zeros?period=month&at={month:yyyy-MM-dd}", 300),
            ("三零 board, year", $"/api/three-zeros?period=year&at={month:yyyy-MM-dd}", 300),
            ("briefing, month, JSON", $"/api/briefings?period=month&at={month:yyyy-MM-dd}", 5000),
            ("briefing, month, printable page", $"/api/briefings/page?period=month&at={month:yyyy-MM-dd}", 5000),
            ("briefing, month, PDF (Chromium)", $"/api/briefings/pdf?period=month&at={month:yyyy-MM-dd}", 5000),
        };
        var answers = new Dictionary<string, string>();
        Console.WriteLine($"| read | median | max | target | ratio to the plain scan |\n|---|---:|---:|---:|---:|");
        var anchors = await AnchorsAsync(db, month, end, runs);
        foreach (var (name, path, target) in reads)
        {
            var times = new List<double>();
            for (var i = 0; i < runs + 2; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await http.GetAsync(path);
                var body = await response.Content.ReadAsByteArrayAsync();
                watch.Stop();
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path} → {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
                if (i >= 2) times.Add(watch.Elapsed.TotalMilliseconds);
                answers[name] = System.Text.Encoding.UTF8.GetString(body);
            }
            times.Sort();
            var anchor = name.StartsWith("KPIs") ? anchors.Kpis : name.StartsWith("三零") && name.EndsWith("month") ? anchors.ZeroMonth
                : name.StartsWith("三零") ? anchors.ZeroYear : (double?)null;
            Console.WriteLine($"| {name} | {times[times.Count / 2]:F0} ms | {times[^1]:F0} ms | ≤ {target:F0} ms | " +
                              (anchor is { } a ? $"{times[times.Count / 2] / a:F3} (anchor {a:F0} ms)" : "—") + " |");
        }
        Console.WriteLine($"| anchor: KPIs by plain scan | {anchors.Kpis:F0} ms | | | 1.00 |");
        Console.WriteLine($"| anchor: 三零 month by plain scan | {anchors.ZeroMonth:F0} ms | | | 1.00 |");
        Console.WriteLine($"| anchor: 三零 year by plain scan | {anchors.ZeroYear:F0} ms | | | 1.00 |");

        // The answers agree with the plain scan's figures.
        var kpis = JsonDocument.Parse(answers["KPIs, city, month (+ 4 districts)"]).RootElement.GetProperty("figures");
        var board = JsonDocument.Parse(answers["三零 board, month (1,041 villages)"]).RootElement.GetProperty("totals");
        Console.WriteLine($"agreement: reported {kpis.GetProperty("reported").GetInt64():N0} (scan {anchors.Reported:N0}), " +
                          $"resolved on time {kpis.GetProperty("resolvedOnTime").GetInt64():N0} (scan {anchors.ResolvedOnTime:N0}), " +
                          $"三零 petitions/accidents/criminal {board.GetProperty("petitions")}/{board.GetProperty("majorAccidents")}/{board.GetProperty("criminalCases")} " +
                          $"(scan {anchors.Zero.Petitions}/{anchors.Zero.Accidents}/{anchors.Zero.Criminal})");
    }

    sealed record Anchors(double Kpis, double ZeroMonth, double ZeroYear, long Reported, long ResolvedOnTime, (long Petitions, long Accidents, long Criminal) Zero);

    /// <summary>The KPIs of the whole area by a plain scan of the incident table joined to the steps (main before migration 0026).</summary>
    const string PlainKpiSql = """
        WITH i AS (
            SELECT i.id, i.created_at, i.status, i.due_at, '' AS k FROM incident i WHERE starts_with(i.grid_code, @prefix)),
        steps AS (
            SELECT i.k, e.id, e.incident_id, e.action, e.at, e.due_at, i.created_at
            FROM incident_event e JOIN i ON i.id = e.incident_id
            WHERE e.action IN ('accept', 'arrive', 'resolve', 'rework') AND e.at >= @start AND e.at < @end),
        reported AS (SELECT k, count(*) AS n FROM i WHERE created_at >= @start AND created_at < @end GROUP BY k),
        stepped AS (
            SELECT k,
                   count(*) FILTER (WHERE action = 'accept') AS accepted,
                   count(*) FILTER (WHERE action = 'accept' AND due_at IS NOT NULL) AS accept_judged,
                   count(*) FILTER (WHERE action = 'accept' AND at <= due_at) AS accepted_on_time,
                   count(*) FILTER (WHERE action = 'resolve') AS resolved,
                   count(*) FILTER (WHERE action = 'resolve' AND due_at IS NOT NULL) AS resolve_judged,
                   count(*) FILTER (WHERE action = 'resolve' AND at <= due_at) AS resolved_on_time,
                   count(*) FILTER (WHERE action = 'rework') AS reworks
            FROM steps GROUP BY k),
        -- A first arrival or resolution: no earlier step of its kind on the case, in the period or before.
        firsts AS (
            SELECT s.k, s.action, extract(epoch FROM s.at - s.created_at) / 60 AS minutes FROM steps s
            WHERE s.action IN ('arrive', 'resolve')
              AND NOT EXISTS (SELECT 1 FROM incident_event x WHERE x.incident_id = s.incident_id AND x.action = s.action AND x.id < s.id)),
        times AS (
            SELECT k,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes) FILTER (WHERE action = 'arrive') AS response_median,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY minutes) FILTER (WHERE action = 'arrive') AS response_p90,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes) FILTER (WHERE action = 'resolve') AS resolution_median,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY minutes) FILTER (WHERE action = 'resolve') AS resolution_p90
            FROM firsts GROUP BY k),
        -- 按期办结: each resolve deadline in the period that has passed, met or not.
        due AS (
            SELECT k, count(*) AS due, count(*) FILTER (WHERE met) AS due_met FROM (
                SELECT i.k, e.at <= e.due_at AS met FROM incident_event e JOIN i ON i.id = e.incident_id
                WHERE e.action = 'resolve' AND e.due_at >= @start AND e.due_at < least(@end, @now)
                UNION ALL
                SELECT i.k, false FROM i WHERE i.status = 'on_scene' AND i.due_at >= @start AND i.due_at < least(@end, @now)) d
            GROUP BY k),
        orders AS (
            SELECT i.k, count(*) AS supervised,
                   count(*) FILTER (WHERE coalesce(o.done_at, @now) > o.due_by AND (o.done_at IS NOT NULL OR o.due_by < @now)) AS supervised_late
            FROM supervision_order o JOIN i ON i.id = o.incident_id WHERE o.ordered_at >= @start AND o.ordered_at < @end GROUP BY i.k),
        climbs AS (
            SELECT i.k, count(*) AS escalations FROM escalation x JOIN i ON i.id = x.incident_id WHERE x.at >= @start AND x.at < @end GROUP BY i.k),
        downs AS (
            SELECT i.k, count(*) AS hand_downs FROM hand_down h JOIN i ON i.id = h.incident_id WHERE h.created_at >= @start AND h.created_at < @end GROUP BY i.k),
        heard AS (
            SELECT i.k, count(*) FILTER (WHERE f.result <> 'unreachable') AS answered,
                   count(*) FILTER (WHERE f.result IN ('satisfied', 'basic')) AS satisfied
            FROM follow_up f JOIN i ON i.id = f.incident_id WHERE f.status = 'done' AND f.done_at >= @start AND f.done_at < @end GROUP BY i.k),
        keys AS (
            SELECT k FROM reported UNION SELECT k FROM stepped UNION SELECT k FROM due UNION SELECT k FROM orders
            UNION SELECT k FROM climbs UNION SELECT k FROM downs UNION SELECT k FROM heard)
        SELECT keys.k AS key,
               coalesce(r.n, 0) AS reported,
               coalesce(s.accepted, 0) AS accepted, coalesce(s.accept_judged, 0) AS accept_judged, coalesce(s.accepted_on_time, 0) AS accepted_on_time,
               round(s.accepted_on_time::numeric / nullif(s.accept_judged, 0), 4)::float8 AS accept_on_time_rate,
               coalesce(s.resolved, 0) AS resolved, coalesce(s.resolve_judged, 0) AS resolve_judged, coalesce(s.resolved_on_time, 0) AS resolved_on_time,
               round(s.resolved_on_time::numeric / nullif(s.resolve_judged, 0), 4)::float8 AS resolve_on_time_rate,
               coalesce(d.due, 0) AS due, coalesce(d.due_met, 0) AS due_met, round(d.due_met::numeric / nullif(d.due, 0), 4)::float8 AS due_rate,
               coalesce(s.reworks, 0) AS reworks, round(s.reworks::numeric / nullif(s.resolved, 0), 4)::float8 AS rework_rate,
               round(t.response_median::numeric, 1)::float8 AS response_median_minutes, round(t.response_p90::numeric, 1)::float8 AS response_p90_minutes,
               round(t.resolution_median::numeric, 1)::float8 AS resolution_median_minutes, round(t.resolution_p90::numeric, 1)::float8 AS resolution_p90_minutes,
               coalesce(o.supervised, 0) AS supervised, coalesce(o.supervised_late, 0) AS supervised_late,
               coalesce(c.escalations, 0) AS escalations, coalesce(h.hand_downs, 0) AS hand_downs,
               coalesce(f.answered, 0) AS follow_ups_answered, coalesce(f.satisfied, 0) AS follow_ups_satisfied,
               round(f.satisfied::numeric / nullif(f.answered, 0), 4)::float8 AS satisfaction_rate
        FROM keys
        LEFT JOIN reported r ON r.k = keys.k LEFT JOIN stepped s ON s.k = keys.k LEFT JOIN times t ON t.k = keys.k
        LEFT JOIN due d ON d.k = keys.k LEFT JOIN orders o ON o.k = keys.k LEFT JOIN climbs c ON c.k = keys.k LEFT JOIN downs h ON h.k = keys.k
        LEFT JOIN heard f ON f.k = keys.k
        ORDER BY keys.k
        """;

    /// <summary>The plain scans, medians of <paramref name="runs"/> runs.</summary>
    static async Task<Anchors> AnchorsAsync(NpgsqlDataSource db, DateOnly month, DateOnly end, int runs)
    {
        await using var conn = await db.OpenConnectionAsync();
        var beijing = TimeSpan.FromHours(8);
        var start = new DateTimeOffset(month.ToDateTime(TimeOnly.MinValue), beijing).ToUniversalTime(); // timestamptz takes UTC only
        var stop = new DateTimeOffset(end.AddDays(1).ToDateTime(TimeOnly.MinValue), beijing).ToUniversalTime();
        var (keys, max) = ThreeZeroSql.MajorParameters(ThreeZeroMajor.Default);
        var zeroSql = $"""
            SELECT figure, count(*) FROM (SELECT {ThreeZeroSql.Figure} AS figure FROM incident i {ThreeZeroSql.MajorJoin}
                                          WHERE i.created_at >= @start AND i.created_at < @stop) f
            WHERE figure IS NOT NULL GROUP BY figure
            """;
        async Task<(double Ms, T Result)> Median<T>(Func<Task<T>> read)
        {
            var times = new List<double>();
            T result = default!;
            for (var i = 0; i < Math.Max(3, runs / 3) + 1; i++)
            {
                var w = Stopwatch.StartNew();
                result = await read();
                if (i > 0) times.Add(w.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            return (times[times.Count / 2], result);
        }
        var kpi = await Median(async () => (await conn.QueryAsync(PlainKpiSql,
            new { prefix = Dispatch.Server.Identity.CurrentUser.CityCode[..4], start, end = stop, now = DateTimeOffset.UtcNow })).Single());
        // Index scans off: the period's incidents by a scan of the table, not the board's indexes.
        await conn.ExecuteAsync("SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off");
        var zeroMonth = await Median(async () => (await conn.QueryAsync<(string, long)>(zeroSql, new { start, stop, majorKeys = keys, majorMax = max })).ToDictionary(r => r.Item1, r => r.Item2));
        var yearStart = new DateTimeOffset(new DateTime(month.Year, 1, 1), beijing).ToUniversalTime();
        var zeroYear = await Median(async () => (await conn.QueryAsync<(string, long)>(zeroSql,
            new { start = yearStart, stop = yearStart.AddYears(1), majorKeys = keys, majorMax = max })).Count());
        var z = zeroMonth.Result;
        return new Anchors(kpi.Ms, zeroMonth.Ms, zeroYear.Ms, (long)kpi.Result.reported, (long)kpi.Result.resolved_on_time,
            (z.GetValueOrDefault("petitions"), z.GetValueOrDefault("accidents"), z.GetValueOrDefault("criminal")));
    }
}
