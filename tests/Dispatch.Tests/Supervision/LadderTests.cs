using System.Net;
using System.Net.Http.Json;
using Dispatch.Server.Conferences;
using Dispatch.Server.Incidents;

namespace Dispatch.Tests.Supervision;

/// <summary>
/// 一评四会 end to end on the real server: an overdue village dispute climbs to the township by
/// itself, stands on the township's 综治联席会 agenda, is handed down (交办) with a deadline, the
/// village works it and reports it done, and the township verifies and closes it — while the village
/// could not act on it as long as it sat with the township.
/// </summary>
public sealed class LadderTests(ClockedPlatform platform) : IClassFixture<ClockedPlatform>
{
    readonly TestKit _kit = new(platform);

    [Fact]
    public async Task An_overdue_village_dispute_climbs_to_the_township_is_handed_down_and_closed_there()
    {
        // 邻里纠纷: the village centre accepts within 30 minutes.
        var filed = await _kit.ReportAsync(await _kit.FreshPlaceAsync(), "dispute.neighbour", "两户村民因宅基地边界争执，多次调解未果。");
        var village = filed.VillageCode;
        var township = filed.TownshipCode;
        Assert.Equal(village, filed.CentreCode);
        Assert.Equal("village", filed.Level);

        await platform.AdvanceAsync(TimeSpan.FromMinutes(30));
        var escalated = await _kit.GetAsync(filed.Id);
        Assert.Equal(IncidentStatus.Escalated, escalated.Status);
        Assert.Equal(township, escalated.CentreCode);
        var step = escalated.Timeline[^1];
        Assert.Equal(("escalate", "system"), (step.Action, step.Actor));
        Assert.Contains("自动上报", step.Note);
        var ladder = await (await _kit.ClientAsync($"dispatcher-{township}")).GetFromJsonAsync<List<Dispatch.Server.Supervision.EscalationView>>(
            $"/api/escalations?incidentId={filed.Id}", TestKit.Web);
        Assert.Equal(("overdue", village, township, "system"), (ladder![0].Cause, ladder[0].FromCentre, ladder[0].ToCentre, ladder[0].ByUser));
        // Once per cause: the township's own breach later does not send it further (it climbs to the township only).
        await platform.AdvanceAsync(TimeSpan.FromHours(5));
        Assert.Equal(township, (await _kit.GetAsync(filed.Id)).CentreCode);

        // The village only watches now.
        var villageDesk = await _kit.ClientAsync($"dispatcher-{village}");
        var refused = await TestKit.TakeAsync(villageDesk, await TestKit.GetAsync(villageDesk, filed.Id), "accept");
        var problem = await TestKit.ProblemAsync(refused, HttpStatusCode.Forbidden);
        Assert.Contains("综治中心负责", problem.GetProperty("detail").GetString());

        // The township's 综治联席会: the case is on the agenda, with why it came.
        var townshipDesk = await _kit.ClientAsync($"dispatcher-{township}");
        var created = await townshipDesk.PostAsJsonAsync("/api/conferences", new { attendees = new[] { "镇综治中心主任", "司法所所长", "派出所所长" } });
        var conference = await TestKit.ReadAsync<ConferenceView>(created, HttpStatusCode.Created);
        Assert.Equal("综治联席会", conference.Kind);
        var item = Assert.Single(conference.Items, i => i.IncidentId == filed.Id);
        Assert.Equal((village, "overdue"), (item.EscalatedFrom, item.EscalationCause));

        // 交办 to the village, with instructions and a deadline.
        var deadline = platform.Clock.GetUtcNow().AddDays(3);
        var decided = await TestKit.ReadAsync<ConferenceView>(await townshipDesk.PostAsJsonAsync($"/api/conferences/{conference.Id}/decisions",
            new { incidentId = filed.Id, decision = "hand_down", note = "由村说事评理会组织双方现场勘界，司法所派员指导。", deadline }), HttpStatusCode.OK);
        var handDown = Assert.Single(decided.Items, i => i.IncidentId == filed.Id).HandDown!;
        Assert.Equal((village, "open"), (handDown.ToCentre, handDown.Status));
        Assert.Equal(deadline, handDown.Deadline);
        // A second decision on the same case is refused, and nothing changes.
        var again = await townshipDesk.PostAsJsonAsync($"/api/conferences/{conference.Id}/decisions",
            new { incidentId = filed.Id, decision = "close", note = "重复提交" });
        await TestKit.ProblemAsync(again, HttpStatusCode.Conflict);

        // The village works it, then reports it done; the case returns to the township.
        var handed = await _kit.GetAsync(filed.Id);
        Assert.Equal((IncidentStatus.Accepted, village), (handed.Status, handed.CentreCode));
        var resolved = await _kit.StepAsync(handed, "dispatch"); // a grid worker and a mediator, both of the village
        Assert.All(resolved.Assignments, a => Assert.StartsWith(village, a.StaffCode.Split('-')[1]));
        while (resolved.Status == IncidentStatus.Dispatched) resolved = await _kit.StepAsync(resolved, "acknowledge");
        foreach (var action in new[] { "arrive", "resolve" }) resolved = await _kit.StepAsync(resolved, action);
        var reported = await TestKit.StepAsync(villageDesk, resolved, "report_done");
        Assert.Equal((IncidentStatus.Resolved, township), (reported.Status, reported.CentreCode));
        var listed = await townshipDesk.GetFromJsonAsync<List<HandDownView>>("/api/hand-downs", TestKit.Web);
        Assert.Equal("reported", listed!.Single(h => h.IncidentId == filed.Id).Status);

        // The township verifies and closes; the minutes close the conference.
        var closed = await _kit.StepAsync(await _kit.StepAsync(reported, "verify"), "close");
        Assert.Equal(IncidentStatus.Closed, closed.Status);
        var held = await TestKit.ReadAsync<ConferenceView>(await townshipDesk.PostAsJsonAsync($"/api/conferences/{conference.Id}/minutes",
            new { text = "会议研究了因超时上报的邻里纠纷一件，决定交办村说事评理会处理，限三日内办结。" }), HttpStatusCode.OK);
        Assert.Equal("held", held.Status);
        Assert.Equal(["report", "escalate", "hand_down", "dispatch", "arrive", "resolve", "report_done", "verify", "close"],
            closed.Timeline.Select(t => t.Action).Where(a => a != "acknowledge"));
    }

    [Fact]
    public async Task A_conference_only_takes_its_own_centres_decisions_and_says_what_is_wrong()
    {
        var filed = await _kit.ReportAsync(await _kit.FreshPlaceAsync(), "dispute.neighbour");
        var escalated = await _kit.StepAsync(filed, "escalate");
        var townshipDesk = await _kit.ClientAsync($"dispatcher-{filed.TownshipCode}");
        var conference = await TestKit.ReadAsync<ConferenceView>(await townshipDesk.PostAsJsonAsync("/api/conferences", new { }), HttpStatusCode.Created);
        Assert.Contains(conference.Items, i => i.IncidentId == escalated.Id && i.EscalationCause == "by_hand");

        // The village below cannot decide for the township; a decision needs its note, and hand_down a deadline.
        var villageDesk = await _kit.ClientAsync($"dispatcher-{filed.VillageCode}");
        var foreign = await villageDesk.PostAsJsonAsync($"/api/conferences/{conference.Id}/decisions", new { incidentId = filed.Id, decision = "settle", note = "x" });
        Assert.Contains(foreign.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound });
        var noNote = await townshipDesk.PostAsJsonAsync($"/api/conferences/{conference.Id}/decisions", new { incidentId = filed.Id, decision = "settle" });
        Assert.True((await TestKit.ProblemAsync(noNote, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("note", out _));
        var noDeadline = await townshipDesk.PostAsJsonAsync($"/api/conferences/{conference.Id}/decisions",
            new { incidentId = filed.Id, decision = "hand_down", note = "交办村里办理" });
        Assert.True((await TestKit.ProblemAsync(noDeadline, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("deadline", out _));
        Assert.Equal(IncidentStatus.Escalated, (await _kit.GetAsync(filed.Id)).Status); // nothing half-written

        // Settled here: the township accepts it as its own case.
        var settled = await TestKit.ReadAsync<ConferenceView>(await townshipDesk.PostAsJsonAsync($"/api/conferences/{conference.Id}/decisions",
            new { incidentId = filed.Id, decision = "settle", note = "由镇综治中心统筹办理。" }), HttpStatusCode.OK);
        Assert.Equal("settle", settled.Items.Single(i => i.IncidentId == filed.Id).Decision);
        var accepted = await _kit.GetAsync(filed.Id);
        Assert.Equal((IncidentStatus.Accepted, filed.TownshipCode), (accepted.Status, accepted.CentreCode));
    }
}
