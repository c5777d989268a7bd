using System.Net;
using Dispatch.Server.Incidents;
using Dispatch.Server.Supervision;

namespace Dispatch.Tests.Incidents;

/// <summary>
/// The lifecycle over HTTP: an incident is driven into each status through the API, then each
/// action is taken by the person who would take it (the assigned staff member's own account for
/// the field actions, a dispatcher of the responsible centre for the rest, the centre above it to
/// pull the case up), on the version they saw.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class TransitionTableTests(PlatformFixture platform)
{
    readonly TestKit _kit = new(platform);

    /// <summary>
    /// The allowed steps and where they lead for a safety hazard (one grid worker); every other
    /// status × action is a 409. Dispatching again adds a second person, who has yet to answer.
    /// Pulling up (提级) keeps an open case's status.
    /// </summary>
    static readonly Dictionary<(IncidentStatus, string), IncidentStatus> Allowed = new()
    {
        [(IncidentStatus.Reported, "accept")] = IncidentStatus.Accepted,
        [(IncidentStatus.Reported, "reject")] = IncidentStatus.Rejected,
        [(IncidentStatus.Reported, "escalate")] = IncidentStatus.Escalated,
        [(IncidentStatus.Reported, "cancel")] = IncidentStatus.Cancelled,
        [(IncidentStatus.Accepted, "dispatch")] = IncidentStatus.Dispatched,
        [(IncidentStatus.Accepted, "escalate")] = IncidentStatus.Escalated,
        [(IncidentStatus.Accepted, "cancel")] = IncidentStatus.Cancelled,
        [(IncidentStatus.Rejected, "reopen")] = IncidentStatus.Reported,
        [(IncidentStatus.Dispatched, "dispatch")] = IncidentStatus.Dispatched,
        [(IncidentStatus.Dispatched, "acknowledge")] = IncidentStatus.Acknowledged,
        [(IncidentStatus.Dispatched, "decline")] = IncidentStatus.Accepted,
        [(IncidentStatus.Dispatched, "escalate")] = IncidentStatus.Escalated,
        [(IncidentStatus.Dispatched, "cancel")] = IncidentStatus.Cancelled,
        [(IncidentStatus.Acknowledged, "dispatch")] = IncidentStatus.Dispatched,
        [(IncidentStatus.Acknowledged, "arrive")] = IncidentStatus.OnScene,
        [(IncidentStatus.Acknowledged, "escalate")] = IncidentStatus.Escalated,
        [(IncidentStatus.Acknowledged, "cancel")] = IncidentStatus.Cancelled,
        [(IncidentStatus.OnScene, "resolve")] = IncidentStatus.Resolved,
        [(IncidentStatus.OnScene, "escalate")] = IncidentStatus.Escalated,
        [(IncidentStatus.Resolved, "verify")] = IncidentStatus.Verified,
        [(IncidentStatus.Resolved, "rework")] = IncidentStatus.Accepted,
        [(IncidentStatus.Verified, "close")] = IncidentStatus.Closed,
        [(IncidentStatus.Verified, "rework")] = IncidentStatus.Accepted,
        [(IncidentStatus.Closed, "reopen")] = IncidentStatus.Accepted,
        [(IncidentStatus.Escalated, "accept")] = IncidentStatus.Accepted,
        [(IncidentStatus.Escalated, "cancel")] = IncidentStatus.Cancelled,
        [(IncidentStatus.Reported, "pull_up")] = IncidentStatus.Reported,
        [(IncidentStatus.Accepted, "pull_up")] = IncidentStatus.Accepted,
        [(IncidentStatus.Dispatched, "pull_up")] = IncidentStatus.Dispatched,
        [(IncidentStatus.Acknowledged, "pull_up")] = IncidentStatus.Acknowledged,
        [(IncidentStatus.OnScene, "pull_up")] = IncidentStatus.OnScene,
        [(IncidentStatus.Escalated, "pull_up")] = IncidentStatus.Escalated,
        [(IncidentStatus.Escalated, "close")] = IncidentStatus.Closed,        // settled at the conference
        [(IncidentStatus.Escalated, "hand_down")] = IncidentStatus.Accepted,  // 交办 to the centre below
        [(IncidentStatus.Accepted, "hand_down")] = IncidentStatus.Accepted,
        [(IncidentStatus.Resolved, "report_done")] = IncidentStatus.Resolved,
        [(IncidentStatus.Reported, "relocate")] = IncidentStatus.Reported,
        [(IncidentStatus.Accepted, "relocate")] = IncidentStatus.Accepted,
        [(IncidentStatus.Dispatched, "relocate")] = IncidentStatus.Dispatched,
        [(IncidentStatus.Acknowledged, "relocate")] = IncidentStatus.Acknowledged,
        [(IncidentStatus.OnScene, "relocate")] = IncidentStatus.OnScene,
        [(IncidentStatus.Escalated, "relocate")] = IncidentStatus.Escalated,
        [(IncidentStatus.Reported, "merge")] = IncidentStatus.Cancelled,
        [(IncidentStatus.Accepted, "merge")] = IncidentStatus.Cancelled,
        [(IncidentStatus.Dispatched, "merge")] = IncidentStatus.Cancelled,
        [(IncidentStatus.Acknowledged, "merge")] = IncidentStatus.Cancelled,
        [(IncidentStatus.Escalated, "merge")] = IncidentStatus.Cancelled,
        [(IncidentStatus.Reported, "transfer")] = IncidentStatus.Reported,
        [(IncidentStatus.Accepted, "transfer")] = IncidentStatus.Accepted,
        [(IncidentStatus.Dispatched, "transfer")] = IncidentStatus.Dispatched,
        [(IncidentStatus.Acknowledged, "transfer")] = IncidentStatus.Acknowledged,
        [(IncidentStatus.OnScene, "transfer")] = IncidentStatus.OnScene,
        [(IncidentStatus.Escalated, "transfer")] = IncidentStatus.Escalated,
    };

    static readonly string[] ActionNames =
        ["accept", "reject", "dispatch", "acknowledge", "decline", "arrive", "resolve", "verify", "rework", "close", "escalate", "reopen", "cancel", "pull_up",
         "hand_down", "report_done", "relocate", "merge", "transfer"];

    /// <summary>Taken over HTTP here from every status; relocate, merge and transfer need a place or a target and have tests of their own (CentreTests).</summary>
    static readonly string[] Uniform = [.. ActionNames.Except(["relocate", "merge", "transfer"])];

    public static TheoryData<IncidentStatus, string> EveryStatusAndAction()
    {
        var data = new TheoryData<IncidentStatus, string>();
        foreach (var status in Enum.GetValues<IncidentStatus>())
        foreach (var action in Uniform)
            data.Add(status, action);
        return data;
    }

    [Fact]
    public void The_action_names_are_those_of_the_contract()
    {
        Assert.Equal(ActionNames, Enum.GetValues<IncidentAction>().Select(a => a.Wire()));
    }

    [Fact]
    public void The_table_here_is_the_pure_lifecycle_for_a_one_person_team()
    {
        foreach (var status in Enum.GetValues<IncidentStatus>())
        foreach (var action in Enum.GetValues<IncidentAction>())
        {
            var team = action switch { IncidentAction.Acknowledge => new Team(1, 1), IncidentAction.Decline => Team.None, _ => new Team(1, 0) };
            Assert.Equal(Lifecycle.Next(status, action, team), Allowed.TryGetValue((status, action.Wire()), out var to) ? to : null);
        }
    }

    [Theory]
    [MemberData(nameof(EveryStatusAndAction))]
    public async Task Each_action_from_each_status_is_taken_or_refused_with_409(IncidentStatus status, string action)
    {
        var before = await _kit.BuildAsync(status);
        var actor = action == "pull_up" ? TestKit.SuperiorDispatcher(before) : TestKit.ActorFor(before, action);
        // A dispatch offers the nearest free people, whether or not the status allows it.
        var offered = action == "dispatch" ? await _kit.RecommendedTeamAsync(before.Id) : null;

        var response = await _kit.TakeAsync(before, action, offered, actor);

        if (action == "dispatch" && status is IncidentStatus.Dispatched or IncidentStatus.Acknowledged)
        {
            // The lifecycle allows a second dispatch — for replacements of those who declined — but
            // this team is whole, so nobody is added (the padding an attacker found): 400 on staffIds.
            var problem = await TestKit.ProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("staffIds", out _));
            var unchanged = await _kit.GetAsync(before.Id);
            Assert.Equal((before.Version, before.Assignments.Count), (unchanged.Version, unchanged.Assignments.Count));
        }
        else if (action == "hand_down" && before.Level == "village" && Allowed.ContainsKey((status, action)))
        {
            // A village centre has no centre below to hand down to.
            Assert.Contains("更低一级", (await TestKit.ProblemAsync(response, HttpStatusCode.Conflict)).GetProperty("detail").GetString());
        }
        else if (action == "report_done" && Allowed.ContainsKey((status, action)))
        {
            // Only a case handed down to this centre is reported done (LadderTests walks that).
            Assert.Contains("交办", (await TestKit.ProblemAsync(response, HttpStatusCode.Conflict)).GetProperty("detail").GetString());
        }
        else if (Allowed.TryGetValue((status, action), out var expected))
        {
            var after = await TestKit.ReadAsync(response, HttpStatusCode.OK);
            Assert.Equal(expected, after.Status);
            Assert.Equal(before.Version + 1, after.Version);
            Assert.Equal($"\"{after.Version}\"", response.Headers.ETag?.ToString());
            Assert.Equal(before.Timeline.Count + 1, after.Timeline.Count);
            var entry = after.Timeline[^1];
            Assert.Equal((actor, action, status.Wire(), expected.Wire(), $"测试：{action}"),
                (entry.Actor, entry.Action, entry.FromStatus, entry.ToStatus, entry.Note));
            // Escalating hands the case to the centre above; pulling it up, to the caller's (the centre above); nothing else moves it.
            var centre = action switch
            {
                "escalate" or "pull_up" => Centres.Parent(before.CentreCode),
                "hand_down" => before.GridCode[..(before.CentreCode.Length + 3)],
                _ => before.CentreCode,
            };
            Assert.Equal(centre, after.CentreCode);
            var stored = await _kit.GetAsync(before.Id);
            Assert.Equal((after.Status, after.Version, after.Timeline.Count), (stored.Status, stored.Version, stored.Timeline.Count));
            if (offered is not null) Assert.All(offered, id => Assert.Contains(after.Assignments, a => a.StaffId == id && a.Status == "pending"));
        }
        else
        {
            var problem = await TestKit.ProblemAsync(response, HttpStatusCode.Conflict);
            Assert.Contains(status.Wire(), problem.GetProperty("detail").GetString());
            var after = await _kit.GetAsync(before.Id);
            Assert.Equal((before.Status, before.Version, before.Timeline.Count, before.Assignments.Count, before.CentreCode),
                (after.Status, after.Version, after.Timeline.Count, after.Assignments.Count, after.CentreCode));
            if (offered is not null)
                Assert.Equal(offered.Length, await _kit.ScalarAsync<long>("SELECT count(*) FROM staff WHERE id = ANY ($1) AND status = 'available'", offered));
        }
        await AssertTeamIsBusyExactlyWhileLiveAsync(before.Id);
    }

    /// <summary>Whoever holds a live (pending or acknowledged) assignment is busy; whoever the incident released is free again.</summary>
    async Task AssertTeamIsBusyExactlyWhileLiveAsync(long id)
    {
        var mismatched = await _kit.ScalarAsync<long>("""
            SELECT count(*) FROM assignment a JOIN staff s ON s.id = a.staff_id
            WHERE a.incident_id = $1 AND (a.status IN ('pending', 'acknowledged')) <> (s.status = 'busy')
            """, id);
        Assert.Equal(0L, mismatched);
    }

    [Fact]
    public async Task A_stale_version_is_412_and_changes_nothing()
    {
        var incident = await _kit.BuildAsync(IncidentStatus.Accepted);
        var client = await _kit.ClientAsync(TestKit.Dispatcher);

        var response = await TestKit.PostTransitionAsync(client, incident.Id, $"\"{incident.Version - 1}\"", new { action = "cancel" });

        var problem = await TestKit.ProblemAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.Contains($"{incident.Version}", problem.GetProperty("detail").GetString());
        var stored = await _kit.GetAsync(incident.Id);
        Assert.Equal((IncidentStatus.Accepted, incident.Version), (stored.Status, stored.Version));
    }

    [Fact]
    public async Task A_missing_if_match_is_428()
    {
        var incident = await _kit.BuildAsync(IncidentStatus.Reported);
        var client = await _kit.ClientAsync(TestKit.Dispatcher);

        var response = await TestKit.PostTransitionAsync(client, incident.Id, null, new { action = "accept" });

        await TestKit.ProblemAsync(response, (HttpStatusCode)428);
        Assert.Equal(1, (await _kit.GetAsync(incident.Id)).Version);
    }

    [Theory]
    [InlineData("\"1\"")]
    [InlineData("W/\"1\"")]
    [InlineData("1")]
    public async Task The_version_may_be_sent_as_an_etag_a_weak_etag_or_a_bare_number(string ifMatch)
    {
        var incident = await _kit.BuildAsync(IncidentStatus.Reported);
        var client = await _kit.ClientAsync(TestKit.CentreDispatcher(incident));

        var after = await TestKit.ReadAsync(
            await TestKit.PostTransitionAsync(client, incident.Id, ifMatch, new { action = "accept" }), HttpStatusCode.OK);

        Assert.Equal((IncidentStatus.Accepted, 2), (after.Status, after.Version));
    }

    [Theory]
    [InlineData("""{ "action": "teleport" }""")]
    [InlineData("""{ "action": "Accept" }""")]
    [InlineData("""{ "note": "没有动作" }""")]
    public async Task An_unknown_or_missing_action_is_400_naming_action(string body)
    {
        var incident = await _kit.BuildAsync(IncidentStatus.Reported);
        var client = await _kit.ClientAsync(TestKit.Dispatcher);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/incidents/{incident.Id}/transitions")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            Headers = { { "If-Match", incident.ETag } },
        };

        var problem = await TestKit.ProblemAsync(await client.SendAsync(request), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("action", out _), problem.ToString());
        Assert.Equal(1, (await _kit.GetAsync(incident.Id)).Version);
    }

    [Fact]
    public async Task Escalation_climbs_village_township_district_city_and_no_further()
    {
        var incident = await _kit.BuildAsync(IncidentStatus.Reported);
        Assert.Equal(("village", incident.VillageCode), (incident.Level, incident.CentreCode));
        var village = TestKit.CentreDispatcher(incident);

        // Each centre escalates to the one above with a reason, and that centre's dispatcher accepts it.
        foreach (var (level, centre) in new[] { ("township", incident.TownshipCode), ("district", incident.DistrictCode), ("city", "410600") })
        {
            var escalatedBy = TestKit.CentreDispatcher(incident);
            incident = await _kit.StepAsync(incident, "escalate");
            Assert.Equal((level, centre, IncidentStatus.Escalated), (incident.Level, incident.CentreCode, incident.Status));
            Assert.Equal(escalatedBy, incident.Timeline[^1].Actor);
            incident = await _kit.StepAsync(incident, "accept");
            Assert.Equal(TestKit.DispatcherOf(centre), incident.Timeline[^1].Actor);
        }

        await TestKit.ProblemAsync(await _kit.TakeAsync(incident, "escalate"), HttpStatusCode.Conflict);
        // The village that escalated it only watches now, and is told who is responsible.
        var refused = await TestKit.ProblemAsync(await _kit.TakeAsync(incident, "cancel", actor: village), HttpStatusCode.Forbidden);
        Assert.Contains($"该事件由{incident.CentreName}综治中心负责", refused.GetProperty("detail").GetString());
        var stored = await _kit.GetAsync(incident.Id);
        Assert.Equal(("city", "410600", IncidentStatus.Accepted, incident.Version), (stored.Level, stored.CentreCode, stored.Status, stored.Version));
    }

    [Fact]
    public async Task A_dispatcher_may_report_arrival_and_resolution_for_the_team_but_another_field_worker_may_not()
    {
        var incident = await _kit.BuildAsync(IncidentStatus.Acknowledged);

        // The village's police officer sees the incident but is not on its team.
        await TestKit.ProblemAsync(await _kit.TakeAsync(incident, "arrive", actor: $"police-{incident.VillageCode}"), HttpStatusCode.Forbidden);
        // The worker of a grid elsewhere does not even see it.
        var elsewhere = $"gw-{(await _kit.FreshPlaceAsync(outside: incident.VillageCode)).GridCode}";
        await TestKit.ProblemAsync(await _kit.TakeAsync(incident, "arrive", actor: elsewhere), HttpStatusCode.NotFound);
        var centre = TestKit.CentreDispatcher(incident);
        incident = await _kit.StepAsync(incident, "arrive", actor: centre);
        incident = await _kit.StepAsync(incident, "resolve", actor: centre);

        Assert.Equal(IncidentStatus.Resolved, incident.Status);
        Assert.Equal([centre, centre], incident.Timeline.TakeLast(2).Select(t => t.Actor));
    }

    [Fact]
    public async Task Only_the_assigned_person_may_acknowledge_not_a_dispatcher_nor_a_neighbour_in_the_same_village()
    {
        var incident = await _kit.BuildAsync(IncidentStatus.Dispatched);
        var neighbour = $"police-{incident.VillageCode}";

        await TestKit.ProblemAsync(await _kit.TakeAsync(incident, "acknowledge", actor: TestKit.CentreDispatcher(incident)), HttpStatusCode.Forbidden);
        await TestKit.ProblemAsync(await _kit.TakeAsync(incident, "acknowledge", actor: neighbour), HttpStatusCode.Forbidden);
        Assert.Equal(IncidentStatus.Dispatched, (await _kit.GetAsync(incident.Id)).Status);
    }

    [Fact]
    public async Task A_read_only_wall_cannot_step_an_incident()
    {
        var incident = await _kit.BuildAsync(IncidentStatus.Reported);
        await TestKit.ProblemAsync(await _kit.TakeAsync(incident, "accept", actor: "wall"), HttpStatusCode.Forbidden);
        Assert.Equal(1, (await _kit.GetAsync(incident.Id)).Version);
    }
}
