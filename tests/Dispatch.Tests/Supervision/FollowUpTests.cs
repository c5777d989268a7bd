using System.Net;
using System.Net.Http.Json;
using Dispatch.Server.FollowUps;
using Dispatch.Server.Incidents;

namespace Dispatch.Tests.Supervision;

/// <summary>满意度回访 (docs/api.md, "Follow-ups"): a closure with a reporter's phone schedules a call; 不满意 reopens the case; rates per place and centre.</summary>
[Collection(PlatformCollection.Name)]
public sealed class FollowUpTests(PlatformFixture platform)
{
    readonly TestKit _kit = new(platform);

    static string NewPhone() => $"139{Random.Shared.Next(10_000_000, 99_999_999)}";

    /// <summary>A case reported with (or without) the reporter's phone and taken all the way to 结案.</summary>
    async Task<IncidentView> ClosedAsync(Place place, string? phone)
    {
        var incident = await TestKit.ReportAsync(await _kit.ClientAsync(TestKit.Dispatcher), place, "safety", reporterName: "王秀英", reporterPhone: phone);
        return await ToClosedAsync(await _kit.StepAsync(incident, "accept"));
    }

    async Task<IncidentView> ToClosedAsync(IncidentView accepted)
    {
        var incident = await _kit.StepAsync(accepted, "dispatch");
        while (incident.Status == IncidentStatus.Dispatched) incident = await _kit.StepAsync(incident, "acknowledge");
        foreach (var action in new[] { "arrive", "resolve", "verify", "close" }) incident = await _kit.StepAsync(incident, action);
        Assert.Equal(IncidentStatus.Closed, incident.Status);
        return incident;
    }

    async Task<List<FollowUpView>> FollowUpsOfAsync(HttpClient client, long incidentId, string query = "") =>
        (await TestKit.ReadAsync<FollowUpPage>(await client.GetAsync($"/api/follow-ups?pageSize=500{query}"), HttpStatusCode.OK))
        .Items.Where(f => f.IncidentId == incidentId).ToList();

    Task<long> CountAsync(long incidentId) => _kit.ScalarAsync<long>("SELECT count(*) FROM follow_up WHERE incident_id = $1", incidentId);

    [Fact]
    public async Task A_closure_with_a_phone_schedules_one_call_and_an_unsatisfied_reporter_reopens_the_case()
    {
        var phone = NewPhone();
        var closed = await ClosedAsync(await _kit.FreshPlaceAsync(), phone);
        var without = await ClosedAsync(await _kit.FreshPlaceAsync(), null);
        Assert.Equal((1L, 0L), (await CountAsync(closed.Id), await CountAsync(without.Id)));

        var centre = await _kit.ClientAsync(TestKit.CentreDispatcher(closed));
        var due = Assert.Single(await FollowUpsOfAsync(centre, closed.Id, "&status=due"));
        Assert.Equal((phone, "王秀英", closed.CentreCode, "due"), (due.ReporterPhone, due.ReporterName, due.CentreCode, due.Status));
        Assert.Equal(DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).DateTime).AddDays(1), due.DueOn);
        // An admin (who does not handle cases) reads the number masked, as on the incident.
        var masked = Assert.Single(await FollowUpsOfAsync(platform.Http, closed.Id));
        Assert.Equal((phone[..3] + "****" + phone[^4..], "王**"), (masked.ReporterPhone, masked.ReporterName));

        // Bad input names its field; the follow-up is untouched.
        var bad = await TestKit.ProblemAsync(await centre.PostAsJsonAsync($"/api/follow-ups/{due.Id}", new { result = "happy" }), HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("result", out _));
        await TestKit.ProblemAsync(await centre.PostAsJsonAsync($"/api/follow-ups/{due.Id}", new { result = "satisfied", note = new string('长', 2001) }),
            HttpStatusCode.BadRequest);
        // Another district's dispatcher neither lists nor records it; a field account is refused outright.
        var otherDistrict = await _kit.ScalarAsync<string>("SELECT code FROM region WHERE level = 'district' AND code <> $1 ORDER BY code LIMIT 1", closed.DistrictCode);
        var elsewhere = await _kit.ClientAsync(TestKit.DispatcherOf(otherDistrict));
        Assert.Empty(await FollowUpsOfAsync(elsewhere, closed.Id));
        await TestKit.ProblemAsync(await elsewhere.GetAsync($"/api/follow-ups?regionCode={closed.DistrictCode}"), HttpStatusCode.NotFound);
        await TestKit.ProblemAsync(await elsewhere.PostAsJsonAsync($"/api/follow-ups/{due.Id}", new { result = "satisfied" }), HttpStatusCode.NotFound);
        var field = await _kit.ClientAsync($"gw-{closed.GridCode}");
        Assert.Equal(HttpStatusCode.Forbidden, (await field.GetAsync("/api/follow-ups")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await field.PostAsJsonAsync($"/api/follow-ups/{due.Id}", new { result = "satisfied" })).StatusCode);
        Assert.Equal("due", await _kit.ScalarAsync<string>("SELECT status FROM follow_up WHERE id = $1", due.Id));

        // 不满意: the case goes back to its centre, by the platform; once only.
        var done = await TestKit.ReadAsync<FollowUpView>(await centre.PostAsJsonAsync($"/api/follow-ups/{due.Id}",
            new { result = "unsatisfied", note = "路灯修好后又坏了。" }), HttpStatusCode.OK);
        Assert.Equal(("done", "unsatisfied", TestKit.CentreDispatcher(closed), phone), (done.Status, done.Result, done.DoneBy, done.ReporterPhone));
        var reopened = await _kit.GetAsync(closed.Id);
        Assert.Equal((IncidentStatus.Accepted, closed.CentreCode), (reopened.Status, reopened.CentreCode));
        Assert.Equal(("reopen", "system"), (reopened.Timeline[^1].Action, reopened.Timeline[^1].Actor));
        Assert.StartsWith("回访不满意", reopened.Timeline[^1].Note);
        Assert.Contains("路灯修好后又坏了", reopened.Timeline[^1].Note);
        await TestKit.ProblemAsync(await centre.PostAsJsonAsync($"/api/follow-ups/{due.Id}", new { result = "satisfied" }), HttpStatusCode.Conflict);

        // Closed again: a new call for the new closure.
        await ToClosedAsync(reopened);
        var calls = await FollowUpsOfAsync(centre, closed.Id);
        Assert.Equal(["done", "due"], calls.Select(c => c.Status).Order());
        var again = calls.Single(c => c.Status == "due");
        Assert.Equal("satisfied", (await TestKit.ReadAsync<FollowUpView>(await centre.PostAsJsonAsync($"/api/follow-ups/{again.Id}",
            new { result = "satisfied" }), HttpStatusCode.OK)).Result);
        Assert.Equal(IncidentStatus.Closed, (await _kit.GetAsync(closed.Id)).Status);
    }

    [Fact]
    public async Task Rates_are_the_hand_count_per_place_and_centre()
    {
        // Four fresh grids, a call each: 满意, 基本满意, 不满意, 联系不上.
        var places = await _kit.FreshPlacesAsync(4);
        string[] results = ["satisfied", "basic", "unsatisfied", "unreachable"];
        var centres = new List<string>();
        foreach (var (place, result) in places.Zip(results))
        {
            var closed = await ClosedAsync(place, NewPhone());
            centres.Add(closed.CentreCode);
            var centre = await _kit.ClientAsync(TestKit.CentreDispatcher(closed));
            var due = Assert.Single(await FollowUpsOfAsync(centre, closed.Id, "&status=due"));
            await TestKit.ReadAsync<FollowUpView>(await centre.PostAsJsonAsync($"/api/follow-ups/{due.Id}", new { result }), HttpStatusCode.OK);
        }

        // Each grid is a child of its village: its row is the hand count of its one call.
        var city = await _kit.ClientAsync(TestKit.Dispatcher);
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd");
        var mine = new List<RateRow>();
        foreach (var (place, closedBy) in places.Zip(centres))
        {
            var rates = await TestKit.ReadAsync<RatesView>(await city.GetAsync(
                $"/api/follow-ups/rates?from={today}&to={today}&regionCode={place.GridCode[..12]}"), HttpStatusCode.OK);
            mine.Add(rates.Regions.Single(r => r.Code == place.GridCode));
            // The village is the sum of its grids; its centres add up to the same calls.
            Assert.Equal(rates.Regions.Sum(r => r.Answered), rates.Total.Answered);
            Assert.Equal(rates.Centres.Sum(r => r.Answered), rates.Total.Answered);
            Assert.Contains(rates.Centres, r => r.Code == closedBy && r.Answered >= 1);
            var sums = (s: rates.Regions.Sum(r => r.Satisfied + r.Basic), reached: rates.Regions.Sum(r => r.Answered - r.Unreachable));
            if (sums.reached == 0) Assert.Null(rates.Total.Rate);
            else Assert.Equal((double)sums.s / sums.reached, rates.Total.Rate!.Value, 9);
        }
        Assert.All(mine, r => Assert.Equal(1, r.Answered));
        Assert.Equal([1.0, 1.0, 0.0, null], mine.Select(r => r.Rate));
        Assert.Equal((1, 1, 1, 1), (mine[0].Satisfied, mine[1].Basic, mine[2].Unsatisfied, mine[3].Unreachable));
        var village = places[0].GridCode[..12];

        // The district above sees the village as one of its townships' children, not beyond its area; bad spans are 400s.
        var district = village[..6];
        var byDistrict = await TestKit.ReadAsync<RatesView>(await city.GetAsync($"/api/follow-ups/rates?regionCode={district}"), HttpStatusCode.OK);
        Assert.Contains(byDistrict.Regions, r => r.Code == village[..9] && r.Answered >= 1);
        var other = await _kit.ClientAsync(TestKit.DispatcherOf(await _kit.ScalarAsync<string>(
            "SELECT code FROM region WHERE level = 'district' AND code <> $1 ORDER BY code LIMIT 1", district)));
        await TestKit.ProblemAsync(await other.GetAsync($"/api/follow-ups/rates?regionCode={village}"), HttpStatusCode.NotFound);
        foreach (var (query, field) in new[] { ("from=2026-02-01&to=2026-01-01", "from"), ("from=2024-01-01&to=2026-01-01", "from"),
                     ("from=yesterday", "from"), ("to=2026-13-01", "to"), ("regionCode=x", "regionCode") })
        {
            var problem = await TestKit.ProblemAsync(await city.GetAsync($"/api/follow-ups/rates?{query}"), HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), query);
        }
    }
}
