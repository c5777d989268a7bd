using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Alerts;
using Dispatch.Server.Incidents;
using Dispatch.Server.Live;
using Dispatch.Tests.Live;

namespace Dispatch.Tests.Alerts;

/// <summary>
/// What became of an alert (issue 15, "Dispositions"): closing says true / false / unsure and the
/// detectors' precision is counted from it; an alert or a whole region can be snoozed; a task made
/// from an alert goes to its hot spot, and the task's end reaches the alert, live.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AlertDispositionTests(PlatformFixture platform)
{
    readonly TestKit _kit = new(platform);

    /// <summary>Four reports at one fresh place (different categories: not likely duplicates; four, as three at a quiet place are
    /// no alarm by chance), scored: its repeat-place alert.</summary>
    async Task<(AlertView Alert, List<IncidentView> Reports)> RepeatAsync(Place? at = null)
    {
        at ??= await _kit.FreshPlaceAsync(clearanceMetres: 400);
        var reports = new List<IncidentView>();
        foreach (var (category, i) in new[] { "dispute.neighbour", "safety", "order", "service" }.Select((c, i) => (c, i)))
            reports.Add(await _kit.ReportAsync(at with { Lon = at.Lon + i * 2e-5, Lat = at.Lat + i * 1e-5 }, category, $"同一地点反复发生 {Guid.NewGuid():N}"));
        await TestKit.ExpectAsync(await (await _kit.ClientAsync(TestKit.Dispatcher)).PostAsync("/api/alerts/score", null), HttpStatusCode.OK);
        var page = await TestKit.ReadAsync<AlertPage>(await platform.Http.GetAsync($"/api/alerts?regionCode={at.GridCode[..12]}&pageSize=200"), HttpStatusCode.OK);
        var alert = Assert.Single(page.Items, a => a.Detector == "repeat-place" && a.Status != "closed" && a.GridCodes.Contains(at.GridCode));
        return (alert, reports);
    }

    static async Task<HttpResponseMessage> StepAsync(HttpClient client, AlertView alert, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/alerts/{alert.Id}/transitions") { Content = JsonContent.Create(body) };
        request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(alert.ETag));
        return await client.SendAsync(request);
    }

    static async Task<string> FieldOfAsync(HttpResponseMessage response)
    {
        var problem = await TestKit.ProblemAsync(response, HttpStatusCode.BadRequest);
        return Assert.Single(problem.GetProperty("errors").EnumerateObject()).Name;
    }

    [Fact]
    public async Task Closing_asks_whether_the_alarm_was_true_and_precision_per_detector_counts_the_answers()
    {
        var supervisor = await _kit.ClientAsync("supervisor");
        var before = await TestKit.ReadAsync<AlertPrecisionView>(await supervisor.GetAsync("/api/alerts/precision"), HttpStatusCode.OK);
        var (alert, _) = await RepeatAsync();

        // No verdict, an unknown one, a verdict on another step: each names the field; the alert is untouched.
        Assert.Equal("disposition", await FieldOfAsync(await StepAsync(supervisor, alert, new { action = "close", note = "已化解" })));
        Assert.Equal("disposition", await FieldOfAsync(await StepAsync(supervisor, alert, new { action = "close", note = "已化解", disposition = "maybe" })));
        Assert.Equal("disposition", await FieldOfAsync(await StepAsync(supervisor, alert, new { action = "acknowledge", disposition = "true" })));
        Assert.Equal("raised", await _kit.ScalarAsync<string>("SELECT status FROM alert WHERE id = $1", alert.Id));

        var closed = await TestKit.ReadAsync<AlertView>(await StepAsync(supervisor, alert, new { action = "close", note = "核实为同一户多次来电", disposition = "false" }),
            HttpStatusCode.OK);
        Assert.Equal(("closed", "false"), (closed.Status, closed.Disposition));

        // Precision equals a hand count of the verdicts over the last 90 days, and moved by this one.
        var after = await TestKit.ReadAsync<AlertPrecisionView>(await supervisor.GetAsync("/api/alerts/precision"), HttpStatusCode.OK);
        var repeat = Assert.Single(after.Detectors, d => d.Detector == "repeat-place");
        var (t, f, u) = (await CountAsync("true"), await CountAsync("false"), await CountAsync("unsure"));
        Assert.Equal((t, f, u, t + f + u), (repeat.True, repeat.False, repeat.Unsure, repeat.Closed));
        Assert.Equal(t + f == 0 ? null : Math.Round((double)t / (t + f), 3), repeat.Precision);
        Assert.Equal((before.Detectors.SingleOrDefault(d => d.Detector == "repeat-place")?.False ?? 0) + 1, repeat.False);
        Assert.Equal(90, after.Days);
        Assert.Equal("days", await FieldOfAsync(await supervisor.GetAsync("/api/alerts/precision?days=0")));

        // Another district's dispatcher does not count this district's verdicts.
        var other = await _kit.ScalarAsync<string>("SELECT code FROM region WHERE level = 'district' AND code <> $1 ORDER BY code LIMIT 1", alert.RegionCode[..6]);
        var elsewhere = await TestKit.ReadAsync<AlertPrecisionView>(await (await _kit.ClientAsync($"dispatcher-{other}")).GetAsync("/api/alerts/precision"),
            HttpStatusCode.OK);
        Assert.Equal(await _kit.ScalarAsync<long>(
                "SELECT count(*) FROM alert WHERE detector = 'repeat-place' AND disposition = 'false' AND starts_with(region_code, $1) AND closed_at > now() - interval '90 days'", other),
            elsewhere.Detectors.SingleOrDefault(d => d.Detector == "repeat-place")?.False ?? 0);
    }

    Task<long> CountAsync(string disposition) => _kit.ScalarAsync<long>(
        "SELECT count(*) FROM alert WHERE detector = 'repeat-place' AND disposition = $1 AND closed_at > now() - interval '90 days'", disposition);

    [Fact]
    public async Task An_alert_and_a_region_can_be_snoozed_and_the_wall_hears_it_live()
    {
        var (alert, _) = await RepeatAsync();
        var village = alert.GridCodes[0][..12];
        await using var wall = await LiveClient.SignInAsync(platform.Address, "wall");
        var supervisor = await _kit.ClientAsync("supervisor");

        Assert.Equal("hours", await FieldOfAsync(await StepAsync(supervisor, alert, new { action = "snooze" })));
        Assert.Equal("hours", await FieldOfAsync(await StepAsync(supervisor, alert, new { action = "snooze", hours = 169 })));
        var snoozed = await TestKit.ReadAsync<AlertView>(await StepAsync(supervisor, alert, new { action = "snooze", hours = 2, note = "已电话核实，明早上门" }),
            HttpStatusCode.OK);
        Assert.Equal("raised", snoozed.Status);
        Assert.InRange(snoozed.SnoozedUntil!.Value, DateTimeOffset.UtcNow.AddMinutes(119), DateTimeOffset.UtcNow.AddMinutes(121));
        await wall.WaitForAsync(r => r.Any(e => e.Type == EventTypes.AlertUpdated && e.Data.GetProperty("id").GetInt64() == alert.Id
            && e.Data.GetProperty("snoozedUntil").ValueKind == JsonValueKind.String), TimeSpan.FromSeconds(10), "the snooze, live");

        // A region: refused outside the caller's area and with bad fields; inside, its open alarms go silent at once.
        var elsewhere = await _kit.ScalarAsync<string>("SELECT code FROM region WHERE level = 'district' AND code <> $1 ORDER BY code LIMIT 1", village[..6]);
        var outsider = await _kit.ClientAsync($"dispatcher-{elsewhere}");
        var body = new { regionCode = village, detector = "repeat-place", hours = 24, reason = "村里办庙会，人多事多" };
        await TestKit.ProblemAsync(await outsider.PostAsJsonAsync("/api/alert-snoozes", body), HttpStatusCode.Forbidden);
        Assert.Equal("detector", await FieldOfAsync(await supervisor.PostAsJsonAsync("/api/alert-snoozes", body with { detector = "three-zero-change" })));
        Assert.Equal("reason", await FieldOfAsync(await supervisor.PostAsJsonAsync("/api/alert-snoozes", body with { reason = " " })));
        Assert.Equal("regionCode", await FieldOfAsync(await supervisor.PostAsJsonAsync("/api/alert-snoozes", body with { regionCode = "4106\0" })));
        Assert.Equal("regionCode", await FieldOfAsync(await supervisor.PostAsJsonAsync("/api/alert-snoozes", body with { regionCode = "999999" })));

        var snooze = await TestKit.ReadAsync<AlertSnoozeView>(await supervisor.PostAsJsonAsync("/api/alert-snoozes", body), HttpStatusCode.Created);
        Assert.True(snooze.AlertsSnoozed >= 1);
        Assert.Equal(snooze.Until, (await LoadAsync(alert.Id)).SnoozedUntil);
        Assert.Contains(await TestKit.ReadAsync<List<AlertSnoozeView>>(await supervisor.GetAsync("/api/alert-snoozes"), HttpStatusCode.OK), s => s.Id == snooze.Id);
        Assert.DoesNotContain(await TestKit.ReadAsync<List<AlertSnoozeView>>(await outsider.GetAsync("/api/alert-snoozes"), HttpStatusCode.OK), s => s.Id == snooze.Id);

        // A new alarm raised inside the snoozed region is recorded, snoozed.
        var beside = Assert.Single(await _kit.FreshPlacesAsync(1, clearanceMetres: 150, within: village));
        var (inside, _) = await RepeatAsync(beside);
        Assert.Equal(snooze.Until, inside.SnoozedUntil);
        // A wall or an auditor writes no snooze.
        foreach (var reader in new[] { "wall", "auditor" })
            Assert.Equal(HttpStatusCode.Forbidden, (await (await _kit.ClientAsync(reader)).PostAsJsonAsync("/api/alert-snoozes", body)).StatusCode);

        // Ending it early: someone else's area is not found; the snooze's own alerts speak again.
        await TestKit.ProblemAsync(await outsider.DeleteAsync($"/api/alert-snoozes/{snooze.Id}"), HttpStatusCode.NotFound);
        await TestKit.ExpectAsync(await supervisor.DeleteAsync($"/api/alert-snoozes/{snooze.Id}"), HttpStatusCode.NoContent);
        Assert.Null((await LoadAsync(alert.Id)).SnoozedUntil);
        await TestKit.ProblemAsync(await supervisor.DeleteAsync($"/api/alert-snoozes/{snooze.Id}"), HttpStatusCode.NotFound);
    }

    async Task<AlertView> LoadAsync(long id) => await TestKit.ReadAsync<AlertView>(await platform.Http.GetAsync($"/api/alerts/{id}"), HttpStatusCode.OK);

    [Fact]
    public async Task A_task_goes_to_the_hot_spot_and_its_end_reaches_the_alert_live()
    {
        var (alert, reports) = await RepeatAsync();
        // The repeat place's spot is the mean of its reports' positions, not a grid's service point.
        Assert.NotNull(alert.Spot);
        Assert.Equal(4, alert.Observed);
        Assert.Equal(reports.Average(r => r.Lon), alert.Spot.Value.Lon, 9);
        Assert.Equal(reports.Average(r => r.Lat), alert.Spot.Value.Lat, 9);
        await using var live = await LiveClient.SignInAsync(platform.Address, "supervisor");
        var supervisor = await _kit.ClientAsync("supervisor");
        var tasked = await TestKit.ReadAsync<AlertView>(await StepAsync(supervisor, alert, new { action = "task", note = "请网格员上门" }), HttpStatusCode.OK);
        var task = await _kit.GetAsync(tasked.TaskIncidentId!.Value);
        Assert.Equal(alert.Spot.Value.Lon, task.Lon, 9);
        Assert.Equal(alert.Spot.Value.Lat, task.Lat, 9);
        Assert.Null(tasked.TaskDoneAt);

        // The task runs its course; on its closure the alert says so, pushed, and waits for a verdict.
        var incident = await _kit.StepAsync(await _kit.StepAsync(task, "accept"), "dispatch");
        while (incident.Status == IncidentStatus.Dispatched) incident = await _kit.StepAsync(incident, "acknowledge");
        foreach (var action in new[] { "arrive", "resolve", "verify" }) incident = await _kit.StepAsync(incident, action);
        Assert.Null((await LoadAsync(alert.Id)).TaskDoneAt);
        await _kit.StepAsync(incident, "close");

        var done = await LoadAsync(alert.Id);
        Assert.Equal(("tasked", "closed"), (done.Status, done.TaskOutcome));
        Assert.NotNull(done.TaskDoneAt);
        Assert.Equal(tasked.Version + 1, done.Version);
        await live.WaitForAsync(r => r.Any(e => e.Type == EventTypes.AlertUpdated && e.Data.GetProperty("id").GetInt64() == alert.Id
            && e.Data.GetProperty("taskDoneAt").ValueKind == JsonValueKind.String), TimeSpan.FromSeconds(10), "the task's end, live");

        var closed = await TestKit.ReadAsync<AlertView>(await StepAsync(supervisor, done, new { action = "close", note = "上门化解", disposition = "true" }), HttpStatusCode.OK);
        Assert.Equal(("closed", "true"), (closed.Status, closed.Disposition));
    }
}
