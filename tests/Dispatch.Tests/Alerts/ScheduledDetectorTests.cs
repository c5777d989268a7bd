using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Alerts;
using Dispatch.Server.Jobs;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Alerts;

/// <summary>
/// The scheduled run's village charts (NB CUSUM, EWMA), its 三零 changes and the nightly refresh,
/// on a city of their own: ten weeks of a quiet, regular background (every grid reports once every
/// ten days), so that nothing but what a test plants can alarm.
/// </summary>
public sealed class ScheduledDetectorTests(PlatformFixture platform, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<PlatformFixture>, IAsyncLifetime
{
    static readonly string[] NewDetectors = ["nb-cusum", "ewma", "three-zero-change"];

    public async Task InitializeAsync()
    {
        if (await platform.QueryScalarAsync<long>("SELECT count(*) FROM incident WHERE created_by = 'quiet'") > 0) return;
        await platform.QueryScalarAsync<long>("""
            WITH g AS (SELECT *, row_number() OVER (ORDER BY code) AS n FROM grid),
            added AS (
                INSERT INTO incident (status, category_code, priority, description, location, grid_code, village_code, township_code, district_code,
                                      source, created_by, created_at, due_at, centre_code)
                SELECT 'closed', 'dispute.neighbour', 3, '历史事件', g.service_point, g.code, g.village_code, left(g.code, 9), left(g.code, 6),
                       'hotline', 'quiet', now() - make_interval(days => d), now(), g.village_code
                FROM generate_series(1, 70) d JOIN g ON (g.n + 3 * d) % 10 = 0
                RETURNING 1)
            SELECT count(*) FROM added
            """);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_quiet_city_raises_no_chart_or_three_zero_alert_and_planted_signals_raise_one_each_however_often_scoring_runs()
    {
        await ScoreAsync();
        foreach (var detector in NewDetectors) Assert.Empty(await AlertsAsync(detector));

        // A village reporting 10 a day yesterday and today against ≈ 0.4 expected, and an accident in another village.
        // (A run re-reads the reports of today and yesterday; older days are read when the day is prepared.)
        var burst = await platform.QueryScalarAsync<string>("SELECT village_code FROM grid GROUP BY village_code HAVING count(*) >= 3 ORDER BY village_code OFFSET 40 LIMIT 1");
        var accident = await platform.QueryScalarAsync<string>($"SELECT village_code FROM grid WHERE village_code > '{burst}' GROUP BY village_code ORDER BY village_code OFFSET 25 LIMIT 1");
        await platform.QueryScalarAsync<long>($"""
            WITH added AS (
                INSERT INTO incident (status, category_code, priority, description, location, grid_code, village_code, township_code, district_code,
                                      source, created_by, created_at, due_at, centre_code)
                SELECT 'reported', 'dispute.land', 3, '村民反映问题', ST_Translate(g.service_point, i * 1e-4, 0), g.code, g.village_code, left(g.code, 9),
                       left(g.code, 6), 'hotline', 'planted', now() - make_interval(days => d), now(), g.village_code
                FROM generate_series(0, 1) d, generate_series(1, 10) i,
                     LATERAL (SELECT * FROM grid WHERE village_code = '{burst}' ORDER BY code OFFSET i % 3 LIMIT 1) g
                RETURNING 1)
            SELECT count(*) FROM added
            """);
        var point = await platform.QueryScalarAsync<string>($"SELECT ST_X(service_point) || ',' || ST_Y(service_point) FROM grid WHERE village_code = '{accident}' ORDER BY code LIMIT 1");
        using (var posted = await platform.Http.PostAsJsonAsync("/api/incidents", new
        {
            categoryCode = "accident", description = "路口两车相撞", lon = double.Parse(point.Split(',')[0]) + 1e-5, lat = double.Parse(point.Split(',')[1]),
        }))
            Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());

        // Two runs side by side, then a third: each signal raised once.
        var raisedBefore = await CountAsync("SELECT count(*) FROM outbox WHERE type = 'alert.raised'");
        var runs = await Task.WhenAll(ScoreAsync(), ScoreAsync());
        var third = await ScoreAsync();
        output.WriteLine($"runs: {runs[0]} {runs[1]} then {third}");
        Assert.Equal(0, third.GetProperty("raised").GetInt32());
        Assert.Equal(0, third.GetProperty("updated").GetInt32());
        Assert.Equal(raisedBefore + runs.Sum(r => r.GetProperty("raised").GetInt32()), await CountAsync("SELECT count(*) FROM outbox WHERE type = 'alert.raised'"));

        foreach (var (detector, village) in new[] { ("nb-cusum", burst), ("ewma", burst), ("three-zero-change", accident) })
        {
            var alerts = await AlertsAsync(detector);
            var alert = Assert.Single(alerts);
            Assert.Equal(village, alert.Region);
            output.WriteLine($"{detector} {alert.Level}: {alert.Title} — {alert.Summary}");
        }
        var cusum = (await AlertsAsync("nb-cusum"))[0];
        Assert.Contains("CUSUM", cusum.Summary);
        Assert.Contains("应为", cusum.Summary);
        Assert.Contains("警戒值", cusum.Summary);
        Assert.True(cusum.Observed >= 20 && cusum.Observed > 5 * cusum.Expected, $"observed {cusum.Observed}, expected {cusum.Expected}");
        Assert.True(cusum.PValue < 0.01);
        Assert.Contains("EWMA", (await AlertsAsync("ewma"))[0].Summary);
        var threeZero = (await AlertsAsync("three-zero-change"))[0];
        Assert.Equal("orange", threeZero.Level);
        Assert.Contains("零事故", threeZero.Summary);
        Assert.Equal(1, await CountAsync($"SELECT accidents FROM three_zero_standing WHERE village_code = '{accident}'"));
    }

    [Fact]
    public async Task The_nightly_refresh_draws_today_and_tomorrows_nulls_once_and_a_restarted_server_scores_with_them_without_drawing()
    {
        var models = platform.Services.GetRequiredService<DayModels>();
        await platform.QueryScalarAsync<int>("WITH gone AS (DELETE FROM monte_carlo_null RETURNING 1) SELECT count(*)::int FROM gone");
        models.ForgetMemory();

        // Through Hangfire, as the schedule runs it.
        var jobs = (IRecurringJobManagerV2)platform.Services.GetRequiredService<IRecurringJobManager>();
        var storage = platform.Services.GetRequiredService<JobStorage>();
        var id = jobs.TriggerJob(JobsSetup.RefreshJob);
        var deadline = DateTime.UtcNow.AddMinutes(2);
        string? state;
        using (var connection = storage.GetConnection())
            while ((state = connection.GetStateData(id)?.Name) is not ("Succeeded" or "Failed") && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.Equal("Succeeded", state);

        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        foreach (var day in new[] { today, today.AddDays(1) })
            Assert.Equal(["ears-c2", "ewma", "expectation-based-poisson-scan", "nb-cusum"],
                await ListAsync($"SELECT detector FROM monte_carlo_null WHERE for_day = '{day:yyyy-MM-dd}' ORDER BY detector"));
        var drawnAt = await platform.QueryScalarAsync<DateTime>("SELECT max(drawn_at) FROM monte_carlo_null");

        // Again: everything is stored, nothing is drawn.
        var again = await platform.Services.GetRequiredService<RefreshBaselines>().RunAsync(CancellationToken.None);
        Assert.Equal(0, again.NullsDrawn);

        // As after a restart: nothing in memory. The run finds the four nulls stored by fingerprint.
        models.ForgetMemory();
        var run = await ScoreAsync();
        Assert.Equal(0, run.GetProperty("nullsDrawn").GetInt32());
        Assert.Equal(4, run.GetProperty("nullsLoaded").GetInt32());
        Assert.Equal(8, await CountAsync("SELECT count(*) FROM monte_carlo_null"));
        Assert.Equal(drawnAt, await platform.QueryScalarAsync<DateTime>("SELECT max(drawn_at) FROM monte_carlo_null"));
        // And the next run of the same process does not even read them.
        var next = await ScoreAsync();
        Assert.Equal((0, 0), (next.GetProperty("nullsDrawn").GetInt32(), next.GetProperty("nullsLoaded").GetInt32()));
    }

    // ---- helpers ----

    sealed record AlertRow(string Region, string Level, string Title, string Summary, double Observed, double Expected, double? PValue);

    /// <summary>The detector's findings: alerts of its own, and its entries in developing events' evidence (their own region and figures).</summary>
    async Task<List<AlertRow>> AlertsAsync(string detector)
    {
        await using var cmd = platform.Db.CreateCommand("""
            SELECT region_code, level, title, summary, observed, coalesce(expected, 0), p_value, id FROM alert WHERE detector = $1 AND evidence IS NULL
            UNION ALL
            SELECT f->>'regionCode', f->>'level', a.title, f->>'summary', (f->>'observed')::float8, coalesce((f->>'expected')::float8, 0), (f->>'pValue')::float8, a.id
            FROM alert a, jsonb_array_elements(a.evidence) f WHERE f->>'detector' = $1
            ORDER BY id
            """);
        cmd.Parameters.Add(new() { Value = detector });
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<AlertRow>();
        while (await r.ReadAsync())
            rows.Add(new AlertRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetDouble(4), r.GetDouble(5), r.IsDBNull(6) ? null : r.GetDouble(6)));
        return rows;
    }

    async Task<List<string>> ListAsync(string sql)
    {
        await using var cmd = platform.Db.CreateCommand(sql);
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<string>();
        while (await r.ReadAsync()) list.Add(r.GetString(0));
        return list;
    }

    async Task<long> CountAsync(string sql) => Convert.ToInt64(await platform.QueryScalarAsync<object>(sql));

    async Task<JsonElement> ScoreAsync()
    {
        using var response = await platform.Http.PostAsync("/api/alerts/score", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
