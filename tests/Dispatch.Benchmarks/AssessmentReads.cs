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
/// figures computed by a plain scan — the same SQL with the planner's index scans switched off,
/// straight on the database (no HTTP) — and the answers compared with the anchor's.
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

    /// <summary>The plain scans: the same SQL, index scans off, medians of <paramref name="runs"/> runs.</summary>
    static async Task<Anchors> AnchorsAsync(NpgsqlDataSource db, DateOnly month, DateOnly end, int runs)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off");
        var beijing = TimeSpan.FromHours(8);
        var start = new DateTimeOffset(month.ToDateTime(TimeOnly.MinValue), beijing).ToUniversalTime(); // timestamptz takes UTC only
        var stop = new DateTimeOffset(end.AddDays(1).ToDateTime(TimeOnly.MinValue), beijing).ToUniversalTime();
        var (keys, max) = ThreeZeroSql.MajorParameters(ThreeZeroMajor.Default);
        var zeroSql = $"""
            SELECT figure, count(*) FROM (SELECT {ThreeZeroSql.Figure} AS figure FROM incident i
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
        var kpi = await Median(async () => (await conn.QueryAsync(Figures.Sql(KpiKey.Whole),
            new { prefix = Dispatch.Server.Identity.CurrentUser.CityCode[..4], start, end = stop, now = DateTimeOffset.UtcNow })).Single());
        var zeroMonth = await Median(async () => (await conn.QueryAsync<(string, long)>(zeroSql, new { start, stop, majorKeys = keys, majorMax = max })).ToDictionary(r => r.Item1, r => r.Item2));
        var yearStart = new DateTimeOffset(new DateTime(month.Year, 1, 1), beijing).ToUniversalTime();
        var zeroYear = await Median(async () => (await conn.QueryAsync<(string, long)>(zeroSql,
            new { start = yearStart, stop = yearStart.AddYears(1), majorKeys = keys, majorMax = max })).Count());
        var z = zeroMonth.Result;
        return new Anchors(kpi.Ms, zeroMonth.Ms, zeroYear.Ms, (long)kpi.Result.reported, (long)kpi.Result.resolved_on_time,
            (z.GetValueOrDefault("petitions"), z.GetValueOrDefault("accidents"), z.GetValueOrDefault("criminal")));
    }
}
