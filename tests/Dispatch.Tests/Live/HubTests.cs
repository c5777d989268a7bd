using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Incidents;
using Dispatch.Server.Live;

namespace Dispatch.Tests.Live;

/// <summary>The hub's contract on the shared platform: who may connect, the seam of Resume, assignments, and what a refused change publishes.</summary>
[Collection(PlatformCollection.Name)]
public sealed class HubTests(PlatformFixture platform)
{
    [Fact]
    public async Task Negotiating_without_signing_in_is_refused()
    {
        using var response = await platform.Anonymous.PostAsync("/hubs/dispatch/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Resume_replays_what_was_missed_then_continues_live_with_no_gap_and_no_duplicate()
    {
        var places = await TestKit.PlacesAsync(platform.Db);
        await using var first = await LiveClient.SignInAsync(platform.Address, "city.dispatcher");
        var before = await Writers.FileAsync(platform.Http, places, 20, writers: 2, seed: 3);
        await first.WaitForAsync(r => Writers.CreatedIds(r).Count >= 20, TimeSpan.FromSeconds(30), "first client");
        var lastSeen = first.Received[5].Seq; // as if the connection dropped after the sixth event

        // A second connection resumes from there while writers keep going: the seam falls somewhere inside the stream.
        var writing = Writers.FileAsync(platform.Http, places, 200, writers: 4, seed: 4);
        await Task.Delay(100);
        await using var resumed = await LiveClient.ConnectAsync(platform.Address, await TokenAsync("city.dispatcher"), lastSeen);
        var during = await writing;

        var all = before.Concat(during).Select(f => f.Id).ToHashSet();
        await resumed.WaitForAsync(r => Writers.CreatedIds(r).Count(all.Contains) >= 14 + 200, TimeSpan.FromSeconds(30), "resumed client");
        await Task.Delay(300);
        var received = resumed.Received;
        Assert.Equal(received.Count, received.Select(e => e.Seq).Distinct().Count());
        ScopeTests.AssertIncreasing(received, "resumed client");
        Assert.Equal(first.Received.Where(e => e.Seq > lastSeen).Select(e => e.Seq), received.Select(e => e.Seq).Take(first.Received.Count(e => e.Seq > lastSeen)));
        Assert.Equal(14 + 200, Writers.CreatedIds(received).Count(all.Contains));
    }

    [Fact]
    public async Task Assignment_events_reach_the_assigned_person_outside_their_own_area_and_nobody_else_there()
    {
        // An incident in one village, dispatched to the police officer of another.
        var place = await TestKit.PlaceInAsync(platform.Db, "410611", 7);
        var grid = place.GridCode;
        var officer = await StaffAsync($"police-{await OtherVillageAsync(grid[..12])}");
        await using var police = await LiveClient.SignInAsync(platform.Address, officer.Code);
        var bystanderGrid = await OtherGridAsync(grid);
        await using var bystander = await LiveClient.SignInAsync(platform.Address, $"gw-{bystanderGrid}");

        // The village's centre sends only its own people: the city pulls the case up (提级) to send the other village's officer.
        var incident = await ReportAsync(place);
        incident = await TestKit.StepAsync(platform.Http, incident, "pull_up");
        incident = await TestKit.StepAsync(platform.Http, incident, "accept");
        incident = await TestKit.StepAsync(platform.Http, incident, "dispatch", [officer.Id]);

        await police.WaitForAsync(r => r.Any(e => e.Type == EventTypes.IncidentUpdated && Id(e) == incident.Id && e.Data.GetProperty("status").GetString() == "dispatched"),
            TimeSpan.FromSeconds(10), "the officer's dispatch");
        var assignment = Assert.Single(police.Received, e => e.Type == EventTypes.AssignmentCreated);
        Assert.Equal(incident.Id, assignment.Data.GetProperty("incidentId").GetInt64());
        Assert.Equal(officer.Id, assignment.Data.GetProperty("staffId").GetInt64());
        Assert.Equal("pending", assignment.Data.GetProperty("status").GetString());
        // The officer hears of this incident from the dispatch on, not of its report (it was not theirs then).
        Assert.DoesNotContain(police.Received, e => e.Type == EventTypes.IncidentCreated && Id(e) == incident.Id);

        // Their answer reaches them too, as an assignment update and the incident's new state.
        using var officerHttp = await platform.SignInAsync(officer.Code);
        await TestKit.StepAsync(officerHttp, incident, "acknowledge");
        await police.WaitForAsync(r => r.Any(e => e.Type == EventTypes.AssignmentUpdated && e.Data.GetProperty("status").GetString() == "acknowledged"),
            TimeSpan.FromSeconds(10), "the acknowledgement");
        await TestKit.StepAsync(platform.Http, await TestKit.GetAsync(platform.Http, incident.Id), "cancel");

        // A report in the bystander's own grid comes after all of that: once it arrives, so would have the rest.
        var sentinel = await ReportAsync(await TestKit.PlaceInAsync(platform.Db, bystanderGrid));
        await bystander.WaitForLaterIncidentAsync(sentinel.Id, "the bystander's own report");
        await TestKit.StepAsync(await platform.SignInAsync(TestKit.CentreDispatcher(sentinel)), await TestKit.GetAsync(platform.Http, sentinel.Id), "cancel");
        Assert.DoesNotContain(bystander.Received, e => Id(e) == incident.Id || (e.Data.TryGetProperty("incidentId", out var i) && i.GetInt64() == incident.Id));
    }

    [Fact]
    public async Task A_refused_change_publishes_nothing_and_an_event_carries_no_personal_data()
    {
        var place = await TestKit.PlaceInAsync(platform.Db, "410621", 7);
        var before = await platform.QueryScalarAsync<long>("SELECT count(*) FROM outbox");
        var id = (await TestKit.ReportAsync(platform.Http, place, "dispute.neighbour", "邻居噪音扰民", "张三", "13812345678")).Id;
        var data = await platform.QueryScalarAsync<string>($"SELECT data::text FROM outbox WHERE type = 'incident.created' AND (data->>'id')::bigint = {id}");
        Assert.DoesNotContain("13812345678", data);
        Assert.DoesNotContain("张三", data);
        Assert.Equal(before + 1, await platform.QueryScalarAsync<long>("SELECT count(*) FROM outbox"));

        // Dispatching a report not yet accepted is refused (409): its transaction rolls back, and with it any event.
        var incident = await TestKit.GetAsync(platform.Http, id);
        var centre = await platform.SignInAsync(TestKit.CentreDispatcher(incident));
        using var refused = await TestKit.TakeAsync(centre, incident, "dispatch", [1]);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        // Dispatching someone of the centre's area who is already busy is refused: nothing is written.
        incident = await TestKit.StepAsync(centre, incident, "accept");
        var busy = await platform.QueryScalarAsync<long>($"""
            SELECT s.id FROM staff s JOIN category c ON c.code = 'dispute.neighbour'
            WHERE s.status = 'available' AND s.kind = ANY (c.roles) AND starts_with(s.grid_code, '{incident.CentreCode}') ORDER BY s.id DESC LIMIT 1
            """);
        await platform.QueryScalarAsync<int>($"UPDATE staff SET status = 'busy' WHERE id = {busy} RETURNING 1");
        using var refusedBusy = await TestKit.TakeAsync(centre, incident, "dispatch", [busy]);
        Assert.Equal(HttpStatusCode.Conflict, refusedBusy.StatusCode);
        await platform.QueryScalarAsync<int>($"UPDATE staff SET status = 'available' WHERE id = {busy} RETURNING 1");

        Assert.Equal(before + 2, await platform.QueryScalarAsync<long>("SELECT count(*) FROM outbox")); // created, accepted
        await TestKit.StepAsync(centre, await TestKit.GetAsync(platform.Http, id), "cancel");
    }

    [Fact]
    public async Task Resuming_from_before_the_kept_history_is_told_to_resync()
    {
        await using var client = await LiveClient.SignInAsync(platform.Address, "wall");
        // Pretend the nightly purge removed the first events: the oldest kept is then after seq 1.
        var oldest = await platform.QueryScalarAsync<long?>("SELECT min(seq) FROM outbox");
        if (oldest is null or <= 1)
        {
            var places = await TestKit.PlacesAsync(platform.Db);
            await Writers.FileAsync(platform.Http, places, 2, writers: 1, seed: 9);
            await platform.QueryScalarAsync<int>("SELECT 1 FROM outbox WHERE seq IS NOT NULL LIMIT 1");
        }
        await using var owner = new Npgsql.NpgsqlConnection(platform.Services.GetService(typeof(Dispatch.Server.Database.DatabaseAddress)) is Dispatch.Server.Database.DatabaseAddress a ? a.ConnectionString : throw new InvalidOperationException());
        await owner.OpenAsync();
        await using (var purge = new Npgsql.NpgsqlCommand("DELETE FROM outbox WHERE seq = (SELECT min(seq) FROM outbox)", owner)) await purge.ExecuteNonQueryAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => client.ResumeAsync(0));
        await client.WaitForAsync(_ => client.Resyncs.Contains("history-gone"), TimeSpan.FromSeconds(5), "resync");
    }

    // ---- helpers ----

    static long Id(LiveEvent e) => e.Data.TryGetProperty("id", out var id) && e.Type.StartsWith("incident.") ? id.GetInt64() : -1;

    async Task<string> TokenAsync(string username)
    {
        var response = await platform.Anonymous.PostAsJsonAsync("/api/auth/login", new { username, password = PlatformFixture.Password });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    async Task<string> OtherVillageAsync(string village) =>
        await platform.QueryScalarAsync<string>($"SELECT min(village_code) FROM grid WHERE village_code <> '{village}' AND starts_with(code, '{village[..9]}')");

    async Task<string> OtherGridAsync(string grid) =>
        await platform.QueryScalarAsync<string>($"SELECT min(code) FROM grid WHERE village_code <> '{grid[..12]}' AND starts_with(code, '{grid[..9]}')");

    async Task<(long Id, string Code)> StaffAsync(string code) => (await platform.QueryScalarAsync<long>($"SELECT id FROM staff WHERE code = '{code}'"), code);

    Task<IncidentView> ReportAsync(Place place) => TestKit.ReportAsync(platform.Http, place, "order", "路口有人聚集斗殴");
}
