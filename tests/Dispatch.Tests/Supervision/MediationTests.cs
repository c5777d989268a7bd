using System.Net;
using System.Net.Http.Json;
using Dispatch.Server.Incidents;
using Dispatch.Server.Mediation;

namespace Dispatch.Tests.Supervision;

/// <summary>调解 and 回访 (docs/api.md, "Mediation"): an agreement is visited at 7 and 30 days, a visit that finds the dispute alive reopens it; a failed mediation climbs.</summary>
[Collection(PlatformCollection.Name)]
public sealed class MediationTests(PlatformFixture platform)
{
    readonly TestKit _kit = new(platform);

    async Task<IncidentView> OnSceneAsync(string category = "dispute.neighbour")
    {
        var incident = await _kit.StepAsync(await _kit.BuildAsync(IncidentStatus.Accepted, await _kit.FreshPlaceAsync(), category), "dispatch");
        while (incident.Status == IncidentStatus.Dispatched) incident = await _kit.StepAsync(incident, "acknowledge");
        return await _kit.StepAsync(incident, "arrive");
    }

    [Fact]
    public async Task An_agreement_is_visited_and_a_visit_that_finds_the_dispute_alive_reopens_the_case()
    {
        var incident = await OnSceneAsync();
        var mediator = incident.Assignments.Single(a => a.Role == "mediator").StaffCode;
        var phone = await _kit.ClientAsync(mediator);
        var recorded = await TestKit.ReadAsync<MediationView>(await phone.PostAsJsonAsync($"/api/incidents/{incident.Id}/mediation",
            new { outcome = "agreement", mediatedBy = "people", note = "双方签订调解协议，约定三日内清理杂物。" }), HttpStatusCode.Created);
        Assert.Equal(2, recorded.VisitsDue.Count);
        await TestKit.ProblemAsync(await phone.PostAsJsonAsync($"/api/incidents/{incident.Id}/mediation",
            new { outcome = "failed", mediatedBy = "people" }), HttpStatusCode.Conflict); // once
        // What a phone reads when a resend meets that 409: the record, and whose it is.
        var read = await TestKit.ReadAsync<MediationView>(await phone.GetAsync($"/api/incidents/{incident.Id}/mediation"), HttpStatusCode.OK);
        Assert.Equal((mediator, "agreement"), (read.RecordedBy, read.Outcome));
        Assert.Equal(recorded.VisitsDue, read.VisitsDue);
        var elsewhere = await _kit.ClientAsync(TestKit.CentreDispatcher(await _kit.BuildAsync(IncidentStatus.Reported, await _kit.FreshPlaceAsync(outside: incident.DistrictCode))));
        await TestKit.ProblemAsync(await elsewhere.GetAsync($"/api/incidents/{incident.Id}/mediation"), HttpStatusCode.NotFound);

        var closed = await _kit.GetAsync(incident.Id);
        foreach (var action in new[] { "resolve", "verify", "close" }) closed = await _kit.StepAsync(closed, action);

        var visits = (await phone.GetFromJsonAsync<List<VisitView>>("/api/mediation-visits?status=due", TestKit.Web))!.Where(v => v.IncidentId == incident.Id).ToList();
        Assert.Equal([7, 30], visits.Select(v => v.AfterDays));
        Assert.All(visits, v => Assert.Equal(mediator, v.StaffCode));

        // Day 7: settled. Day 30: alive again — the case is reopened to its centre.
        Assert.Equal("done", (await TestKit.ReadAsync<VisitView>(await phone.PostAsJsonAsync($"/api/mediation-visits/{visits[0].Id}",
            new { finding = "settled", note = "协议已履行。" }), HttpStatusCode.OK)).Status);
        Assert.Equal(IncidentStatus.Closed, (await _kit.GetAsync(incident.Id)).Status);
        await TestKit.ReadAsync<VisitView>(await phone.PostAsJsonAsync($"/api/mediation-visits/{visits[1].Id}",
            new { finding = "alive", note = "杂物再次堆放，双方又起争执。" }), HttpStatusCode.OK);
        var reopened = await _kit.GetAsync(incident.Id);
        Assert.Equal(IncidentStatus.Accepted, reopened.Status);
        Assert.Equal(("reopen", "system"), (reopened.Timeline[^1].Action, reopened.Timeline[^1].Actor));
        Assert.Contains("回访发现纠纷仍未化解", reopened.Timeline[^1].Note);
        await TestKit.ProblemAsync(await phone.PostAsJsonAsync($"/api/mediation-visits/{visits[1].Id}", new { finding = "settled" }), HttpStatusCode.Conflict);

        // Someone else's visit is not theirs to record.
        var stranger = await _kit.ClientAsync($"gw-{(await _kit.FreshPlaceAsync()).GridCode}");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync($"/api/mediation-visits/{visits[0].Id}", new { finding = "alive" })).StatusCode);
    }

    [Fact]
    public async Task A_mediation_that_fails_on_the_scene_climbs_to_the_centre_above()
    {
        var incident = await OnSceneAsync();
        var centre = await _kit.ClientAsync(TestKit.CentreDispatcher(incident));
        var bad = await centre.PostAsJsonAsync($"/api/incidents/{incident.Id}/mediation", new { outcome = "maybe", mediatedBy = "court" });
        Assert.Equal(["mediatedBy", "outcome"], (await TestKit.ProblemAsync(bad, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        await TestKit.ReadAsync<MediationView>(await centre.PostAsJsonAsync($"/api/incidents/{incident.Id}/mediation",
            new { outcome = "failed", mediatedBy = "people", note = "双方分歧较大。" }), HttpStatusCode.Created);
        var escalated = await _kit.GetAsync(incident.Id);
        Assert.Equal((IncidentStatus.Escalated, incident.TownshipCode), (escalated.Status, escalated.CentreCode));
        Assert.Contains("人民调解未能达成协议", escalated.Timeline[^1].Note);
        Assert.Equal("mediation_failed", await _kit.ScalarAsync<string>("SELECT cause FROM escalation WHERE incident_id = $1", incident.Id));

        // Not a dispute: nothing to mediate.
        var hazard = await _kit.BuildAsync(IncidentStatus.Accepted, await _kit.FreshPlaceAsync(), "safety");
        await TestKit.ProblemAsync(await (await _kit.ClientAsync(TestKit.CentreDispatcher(hazard))).PostAsJsonAsync($"/api/incidents/{hazard.Id}/mediation",
            new { outcome = "agreement", mediatedBy = "people" }), HttpStatusCode.Conflict);
    }
}
