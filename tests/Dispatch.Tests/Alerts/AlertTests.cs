using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Live;
using Dispatch.Tests.Live;

namespace Dispatch.Tests.Alerts;

/// <summary>
/// Early-warning alerts end to end, on a city of their own: five weeks of ordinary reports, then a
/// burst in one village today. Scoring finds it (scan, EARS, repeat place), explains it, raises
/// each signal once however often and however concurrently it runs, exports it as valid CAP 1.2,
/// and carries it through acknowledge → task → close, live.
/// </summary>
public sealed class AlertTests(PlatformFixture platform, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<PlatformFixture>, IAsyncLifetime
{
    string _village = "";

    public async Task InitializeAsync()
    {
        if (await platform.QueryScalarAsync<long>("SELECT count(*) FROM incident WHERE created_by = 'history'") > 0) return;
        // Background: 40 reports a day in grids drawn afresh each day, for 35 days before today.
        await platform.QueryScalarAsync<long>("""
            WITH added AS (
                INSERT INTO incident (status, category_code, priority, description, location, grid_code, village_code, township_code, district_code,
                                      source, created_by, created_at, due_at, centre_code)
                SELECT 'closed', 'dispute.neighbour', 3, '历史事件', g.service_point, g.code, g.village_code, left(g.code, 9), left(g.code, 6),
                       'hotline', 'history', now() - make_interval(days => d), now(), g.village_code
                FROM generate_series(1, 35) d, LATERAL (SELECT * FROM grid ORDER BY md5(code || d) LIMIT 40) g
                RETURNING 1)
            SELECT count(*) FROM added
            """);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    static readonly string[] Categories = ["dispute.neighbour", "dispute.land", "dispute.family", "dispute.wages", "dispute.debt", "dispute.property",
        "safety", "order", "service", "petition", "accident", "dispute.demolition"];

    /// <summary>Today's burst: 12 reports at the service points of one village's grids.</summary>
    async Task<string> BurstAsync()
    {
        _village = await platform.QueryScalarAsync<string>("SELECT village_code FROM grid GROUP BY village_code HAVING count(*) >= 3 ORDER BY village_code OFFSET 20 LIMIT 1");
        await BurstAsync(_village);
        return _village;
    }

    async Task BurstAsync(string village)
    {
        await using var cmd = platform.Db.CreateCommand("SELECT ST_X(service_point), ST_Y(service_point) FROM grid WHERE village_code = $1 ORDER BY code LIMIT 3");
        cmd.Parameters.Add(new() { Value = village });
        var points = new List<(double, double)>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) points.Add((r.GetDouble(0), r.GetDouble(1)));
        for (var i = 0; i < 12; i++)
        {
            var (lon, lat) = points[i % points.Count];
            using var response = await platform.Http.PostAsJsonAsync("/api/incidents", new
            {
                // Twelve different categories: the same category nearby within a day would be flagged a likely duplicate, and left out.
                categoryCode = Categories[i], description = $"村民反映问题 {i}", lon = lon + i * 1e-6, lat,
            });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Scoring_finds_the_burst_explains_it_and_raises_each_signal_once_however_it_runs()
    {
        var village = await BurstAsync();
        using var supervisor = await platform.SignInAsync("supervisor");
        var before = await platform.QueryScalarAsync<long>("SELECT count(*) FROM outbox WHERE type = 'alert.raised'");
        var alertsBefore = await platform.QueryScalarAsync<long>("SELECT count(*) FROM alert");

        // Two runs side by side, then a third: the same window, the same alerts, once.
        var runs = await Task.WhenAll(ScoreAsync(supervisor), ScoreAsync(supervisor));
        var third = await ScoreAsync(supervisor);
        output.WriteLine($"runs: {runs[0]} {runs[1]} then {third}");
        Assert.Equal(runs[0].GetProperty("signals").GetInt32(), third.GetProperty("signals").GetInt32());
        Assert.Equal(0, third.GetProperty("raised").GetInt32());
        Assert.Equal(0, third.GetProperty("updated").GetInt32());
        var raised = runs.Sum(r => r.GetProperty("raised").GetInt32());
        Assert.Equal(alertsBefore + raised, await platform.QueryScalarAsync<long>("SELECT count(*) FROM alert"));
        Assert.Equal(before + raised, await platform.QueryScalarAsync<long>("SELECT count(*) FROM outbox WHERE type = 'alert.raised'"));
        Assert.Equal(0, await platform.QueryScalarAsync<long>("SELECT count(*) FROM (SELECT detector, region_code FROM alert GROUP BY 1, 2 HAVING count(*) > 1) d"));

        // The burst is one developing event: the scan leads, EARS on the village's series is listed beside it, each explaining
        // itself; the repeat place is an alert of its own.
        var alerts = (await supervisor.GetFromJsonAsync<JsonElement>($"/api/alerts?regionCode={village[..9]}&pageSize=200")).GetProperty("items").EnumerateArray().ToList();
        var scan = Assert.Single(alerts, a => a.GetProperty("evidence").ValueKind == JsonValueKind.Array && a.GetProperty("gridCodes").EnumerateArray().Any(g => g.GetString()!.StartsWith(village)));
        Assert.Equal("expectation-based-poisson-scan", scan.GetProperty("detector").GetString());
        var evidence = scan.GetProperty("evidence").EnumerateArray().ToList();
        output.WriteLine(string.Join("; ", evidence.Select(f => $"{f.GetProperty("detector")} {f.GetProperty("regionCode")} {f.GetProperty("level")}")));
        Assert.Equal("expectation-based-poisson-scan", evidence[0].GetProperty("detector").GetString());
        Assert.Contains(evidence, f => f.GetProperty("detector").GetString() == "ears-c2" && f.GetProperty("regionCode").GetString() == village);
        Assert.Contains("同一事件另有", scan.GetProperty("summary").GetString());
        Assert.Contains(scan.GetProperty("level").GetString(), new[] { "orange", "red" });
        Assert.True(scan.GetProperty("pValue").GetDouble() <= 0.01);
        Assert.True(scan.GetProperty("observed").GetDouble() >= 12);
        Assert.Contains("p = ", scan.GetProperty("summary").GetString());
        Assert.Contains("上报 ", scan.GetProperty("summary").GetString());
        Assert.DoesNotContain(alerts, a => a.GetProperty("detector").GetString() == "ears-c2" && a.GetProperty("regionCode").GetString() == village);
        Assert.Contains(alerts, a => a.GetProperty("detector").GetString() == "repeat-place");
    }

    [Fact]
    public async Task An_event_no_finding_touched_for_three_days_closes_itself_unless_its_task_is_out()
    {
        if (await platform.QueryScalarAsync<long>("SELECT count(*) FROM alert") == 0)
        {
            await BurstAsync();
            await ScoreAsync(platform.Http);
        }
        var ids = new List<long>();
        foreach (var (status, nth) in new[] { ("raised", 7), ("tasked", 8) })
        {
            var grid = await platform.QueryScalarAsync<string>($"SELECT code FROM grid ORDER BY code DESC OFFSET {nth} LIMIT 1");
            ids.Add(await platform.QueryScalarAsync<long>($$"""
                INSERT INTO alert (detector, region_code, grid_codes, level, status, title, summary, window_from, window_to, evidence)
                VALUES ('ears-c2', '{{grid}}', ARRAY['{{grid}}'], 'blue', '{{status}}', '旧事件', '五天前的上报量异常', current_date - 6, current_date - 4,
                        '[{"detector": "ears-c2", "level": "blue", "regionCode": "{{grid}}", "grids": 1, "summary": "五天前", "from": "2026-01-01", "to": "2026-01-01"}]')
                RETURNING id
                """));
        }
        await ScoreAsync(platform.Http);
        Assert.Equal("closed", await platform.QueryScalarAsync<string>($"SELECT status FROM alert WHERE id = {ids[0]}"));
        Assert.StartsWith("信号已消退", await platform.QueryScalarAsync<string>($"SELECT handled_note FROM alert WHERE id = {ids[0]}"));
        Assert.Null(await platform.QueryScalarAsync<string>($"SELECT disposition FROM alert WHERE id = {ids[0]}"));
        Assert.Equal("tasked", await platform.QueryScalarAsync<string>($"SELECT status FROM alert WHERE id = {ids[1]}"));
    }

    [Fact]
    public async Task Two_distinct_hot_spots_in_one_township_raise_two_alerts()
    {
        if (await platform.QueryScalarAsync<long>("SELECT count(*) FROM alert") == 0)
        {
            await BurstAsync();
            await ScoreAsync(platform.Http);
        }
        // The two villages farthest apart in a township with many, in another district than the fixture's burst.
        var pair = await platform.QueryScalarAsync<string>("""
            WITH v AS (SELECT village_code, left(village_code, 9) AS township, ST_Centroid(ST_Collect(service_point)) AS at
                       FROM grid GROUP BY village_code HAVING count(*) >= 3),
                 t AS (SELECT township FROM v GROUP BY township ORDER BY count(*) DESC, township OFFSET 3 LIMIT 1)
            SELECT a.village_code || ',' || b.village_code FROM v a JOIN v b ON a.township = b.township AND a.village_code < b.village_code
            WHERE a.township = (SELECT township FROM t) ORDER BY ST_Distance(a.at::geography, b.at::geography) DESC LIMIT 1
            """);
        var (first, second) = (pair.Split(',')[0], pair.Split(',')[1]);
        await BurstAsync(first);
        await BurstAsync(second);
        using var supervisor = await platform.SignInAsync("supervisor");
        await ScoreAsync(supervisor);

        var alerts = (await supervisor.GetFromJsonAsync<JsonElement>($"/api/alerts?regionCode={first[..9]}&pageSize=200")).GetProperty("items").EnumerateArray()
            .Where(a => a.GetProperty("evidence").ValueKind == JsonValueKind.Array && a.GetProperty("status").GetString() != "closed").ToList();
        var at = (string village) => Assert.Single(alerts, a => a.GetProperty("gridCodes").EnumerateArray().Any(g => g.GetString()!.StartsWith(village)));
        var (one, two) = (at(first), at(second));
        Assert.NotEqual(one.GetProperty("id").GetInt64(), two.GetProperty("id").GetInt64());
        foreach (var alert in new[] { one, two })
        {
            output.WriteLine($"{alert.GetProperty("id")} {alert.GetProperty("regionCode")}: {alert.GetProperty("summary")}");
            Assert.Contains(alert.GetProperty("evidence").EnumerateArray(), f => f.GetProperty("detector").GetString() == "expectation-based-poisson-scan");
        }
    }

    [Fact]
    public async Task An_alert_exports_as_CAP_1_2_valid_against_the_schema()
    {
        if (await platform.QueryScalarAsync<long>("SELECT count(*) FROM alert") == 0)
        {
            await BurstAsync();
            await ScoreAsync(platform.Http);
        }
        var id = await platform.QueryScalarAsync<long>("SELECT id FROM alert WHERE detector = 'expectation-based-poisson-scan' ORDER BY id LIMIT 1");
        using var response = await platform.Http.GetAsync($"/api/alerts/{id}.cap");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/cap+xml", response.Content.Headers.ContentType?.MediaType);
        var xml = await response.Content.ReadAsStringAsync();
        Assert.Contains("+08:00</sent>", xml);
        var polygon = System.Text.RegularExpressions.Regex.Match(xml, "<polygon>([^<]+)</polygon>").Groups[1].Value.Split(' ');
        Assert.True(polygon.Length >= 4);
        Assert.Equal(polygon[0], polygon[^1]);
        Assert.All(polygon, pair => Assert.InRange(double.Parse(pair.Split(',')[0]), 35.0, 36.5)); // latitude first

        var file = Path.Combine(Path.GetTempPath(), $"alert-{Guid.NewGuid():N}.xml");
        await File.WriteAllTextAsync(file, xml);
        try
        {
            var schema = Path.Combine(AppContext.BaseDirectory, "Alerts", "cap12.xsd");
            using var xmllint = Process.Start(new ProcessStartInfo("xmllint", ["--noout", "--schema", schema, file])
                { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var errors = await xmllint.StandardError.ReadToEndAsync();
            await xmllint.WaitForExitAsync();
            Assert.True(xmllint.ExitCode == 0, $"xmllint: {errors}\n{xml}");
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public async Task A_supervisor_acknowledges_tasks_and_closes_an_alert_live_and_a_closed_signal_is_not_raised_again_for_the_same_days()
    {
        if (await platform.QueryScalarAsync<long>("SELECT count(*) FROM alert") == 0)
        {
            await BurstAsync();
            await ScoreAsync(platform.Http);
        }
        var (id, region) = await AlertAsync("repeat-place");
        await using var live = await LiveClient.SignInAsync(platform.Address, $"dispatcher-{region[..9]}");
        using var supervisor = await platform.SignInAsync("supervisor");

        var alert = await StepAsync(supervisor, id, 1, "acknowledge");
        Assert.Equal("acknowledged", alert.GetProperty("status").GetString());
        using (var stale = await SendAsync(supervisor, id, 1, "close")) Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);

        alert = await StepAsync(supervisor, id, 2, "task", "请网格员上门走访");
        var incident = alert.GetProperty("taskIncidentId").GetInt64();
        var task = await platform.Http.GetFromJsonAsync<JsonElement>($"/api/incidents/{incident}");
        Assert.Contains($"预警任务 #{id}", task.GetProperty("description").GetString());
        Assert.Equal("reported", task.GetProperty("status").GetString());
        // The task is the centre's of the alert's region (a grid's: its village's).
        Assert.Equal(region.Length > 12 ? region[..12] : region, task.GetProperty("centreCode").GetString());

        Assert.Equal("请网格员上门走访", alert.GetProperty("handledNote").GetString());
        alert = await StepAsync(supervisor, id, 3, "close", "已上门化解，双方达成协议");
        Assert.Equal("closed", alert.GetProperty("status").GetString());
        Assert.Equal("已上门化解，双方达成协议", alert.GetProperty("handledNote").GetString());
        Assert.Equal("supervisor", alert.GetProperty("handledBy").GetString());
        using (var again = await SendAsync(supervisor, id, 4, "close")) Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        await live.WaitForAsync(r => r.Count(e => e.Type == EventTypes.AlertUpdated && e.Data.GetProperty("id").GetInt64() == id) >= 3,
            TimeSpan.FromSeconds(10), "three alert.updated");
        Assert.Equal(["acknowledged", "tasked", "closed"],
            live.Received.Where(e => e.Type == EventTypes.AlertUpdated && e.Data.GetProperty("id").GetInt64() == id).Select(e => e.Data.GetProperty("status").GetString()));
        Assert.Contains(live.Received, e => e.Type == EventTypes.IncidentCreated && e.Data.GetProperty("id").GetInt64() == incident);

        // Scoring the same days again: the closed signal stays closed, no new alert for it.
        await ScoreAsync(platform.Http);
        Assert.Equal(1, await platform.QueryScalarAsync<long>($"SELECT count(*) FROM alert WHERE detector = 'repeat-place' AND region_code = '{region}'"));
    }

    [Fact]
    public async Task Alerts_are_scoped_closed_to_field_accounts_and_the_job_dashboard_is_for_admins()
    {
        if (await platform.QueryScalarAsync<long>("SELECT count(*) FROM alert") == 0)
        {
            await BurstAsync();
            await ScoreAsync(platform.Http);
        }
        var (id, region) = await AlertAsync("expectation-based-poisson-scan");
        var elsewhere = await platform.QueryScalarAsync<string>($"SELECT code FROM region WHERE level = 'district' AND code <> '{region[..6]}' ORDER BY code LIMIT 1");
        using var other = await platform.SignInAsync($"dispatcher-{elsewhere}");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/alerts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/alerts/{id}.cap")).StatusCode);
        var list = await other.GetFromJsonAsync<JsonElement>("/api/alerts");
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), a => a.GetProperty("id").GetInt64() == id);

        using var field = await platform.SignInAsync($"gw-{await platform.QueryScalarAsync<string>($"SELECT min(code) FROM grid WHERE starts_with(code, '{region}')")}");
        Assert.Equal(HttpStatusCode.Forbidden, (await field.GetAsync("/api/alerts")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.Anonymous.GetAsync("/hangfire")).StatusCode);
        using var dispatcher = await platform.SignInAsync("city.dispatcher");
        Assert.Equal(HttpStatusCode.Forbidden, (await dispatcher.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await platform.Http.GetAsync("/hangfire")).StatusCode);
    }

    // ---- helpers ----

    static async Task<JsonElement> ScoreAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/api/alerts/score", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    async Task<(long Id, string Region)> AlertAsync(string detector)
    {
        await using var cmd = platform.Db.CreateCommand("SELECT id, region_code FROM alert WHERE detector = $1 AND status = 'raised' ORDER BY id LIMIT 1");
        cmd.Parameters.Add(new() { Value = detector });
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync(), $"no raised {detector} alert");
        return (r.GetInt64(0), r.GetString(1));
    }

    static Task<HttpResponseMessage> SendAsync(HttpClient client, long id, int version, string action, string? note = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/alerts/{id}/transitions")
        {
            Content = JsonContent.Create(new { action, note, disposition = action == "close" ? "true" : null }),
        };
        request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue($"\"{version}\""));
        return client.SendAsync(request);
    }

    static async Task<JsonElement> StepAsync(HttpClient client, long id, int version, string action, string? note = null)
    {
        using var response = await SendAsync(client, id, version, action, note);
        Assert.True(response.IsSuccessStatusCode, $"{action}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
