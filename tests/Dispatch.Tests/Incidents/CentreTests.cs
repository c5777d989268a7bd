using System.Net;
using System.Net.Http.Json;
using Dispatch.Server.Incidents;
using Dispatch.Server.Live;
using Dispatch.Tests.Live;

namespace Dispatch.Tests.Incidents;

/// <summary>
/// 四级综治中心 over HTTP: where a case starts (its village's centre, or higher for its category),
/// that only its responsible centre acts on it, that a superior must pull it up (提级) with a
/// reason before acting, and that an escalated case is the parent's to accept.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CentreTests(PlatformFixture platform)
{
    readonly TestKit _kit = new(platform);

    /// <summary>Another village centre of the same township.</summary>
    Task<string> SiblingVillageAsync(string village) => _kit.ScalarAsync<string>(
        "SELECT code FROM region WHERE level = 'village' AND starts_with(code, $1) AND code <> $2 ORDER BY code LIMIT 1", village[..9], village);

    [Fact]
    public async Task A_superior_centre_pulls_a_case_up_with_a_reason_before_acting_and_nobody_else_may()
    {
        var incident = await _kit.BuildAsync(IncidentStatus.Reported);
        Assert.Equal(incident.VillageCode, incident.CentreCode);
        var village = TestKit.CentreDispatcher(incident);
        var township = await _kit.ClientAsync(TestKit.DispatcherOf(incident.TownshipCode));

        // The township may not act on its village's case directly.
        var refused = await TestKit.ProblemAsync(await TestKit.TakeAsync(township, incident, "accept"), HttpStatusCode.Forbidden);
        Assert.Equal($"该事件由{incident.CentreName}综治中心负责；上级中心如需直接处置，请先提级。", refused.GetProperty("detail").GetString());

        // Pulling up needs a reason.
        var noReason = await TestKit.ProblemAsync(
            await TestKit.PostTransitionAsync(township, incident.Id, incident.ETag, new { action = "pull_up" }), HttpStatusCode.BadRequest);
        Assert.True(noReason.GetProperty("errors").TryGetProperty("note", out _), noReason.ToString());
        Assert.Equal(incident.Version, (await _kit.GetAsync(incident.Id)).Version);

        var pulled = await TestKit.StepAsync(township, incident, "pull_up");
        Assert.Equal((incident.TownshipCode, "township", IncidentStatus.Reported, incident.Version + 1),
            (pulled.CentreCode, pulled.Level, pulled.Status, pulled.Version));
        Assert.Equal(("pull_up", TestKit.DispatcherOf(incident.TownshipCode), "测试：pull_up"),
            (pulled.Timeline[^1].Action, pulled.Timeline[^1].Actor, pulled.Timeline[^1].Note));
        var accepted = await TestKit.StepAsync(township, pulled, "accept");
        Assert.Equal((IncidentStatus.Accepted, incident.TownshipCode), (accepted.Status, accepted.CentreCode));

        // A sibling village neither sees nor acts on it; the village below cannot take it back by pulling up.
        var sibling = await _kit.ClientAsync(TestKit.DispatcherOf(await SiblingVillageAsync(incident.VillageCode)));
        Assert.Contains((await TestKit.TakeAsync(sibling, accepted, "cancel")).StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.Forbidden });
        Assert.Contains((await TestKit.TakeAsync(sibling, accepted, "pull_up")).StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.Forbidden });
        await TestKit.ProblemAsync(await TestKit.TakeAsync(await _kit.ClientAsync(village), accepted, "pull_up"), HttpStatusCode.Forbidden);

        var stored = await _kit.GetAsync(incident.Id);
        Assert.Equal((IncidentStatus.Accepted, incident.TownshipCode, accepted.Version), (stored.Status, stored.CentreCode, stored.Version));
    }

    [Fact]
    public async Task A_case_starts_at_its_categorys_centre_and_an_escalated_one_is_the_parents_to_accept()
    {
        var criminal = await _kit.ReportAsync(await _kit.FreshPlaceAsync(), "criminal");
        Assert.Equal((criminal.DistrictCode, "district"), (criminal.CentreCode, criminal.Level));
        var accident = await _kit.ReportAsync(await _kit.FreshPlaceAsync(), "accident");
        Assert.Equal((accident.TownshipCode, "township"), (accident.CentreCode, accident.Level));
        Assert.False(string.IsNullOrWhiteSpace(accident.CentreName));

        var escalated = await _kit.BuildAsync(IncidentStatus.Escalated);
        Assert.Equal((escalated.TownshipCode, "township"), (escalated.CentreCode, escalated.Level));
        var township = TestKit.DispatcherOf(escalated.TownshipCode);
        var accepted = await _kit.StepAsync(escalated, "accept", actor: township);
        Assert.Equal((IncidentStatus.Accepted, township), (accepted.Status, accepted.Timeline[^1].Actor));

        // The village that escalated it watches: it still reads the case but may not act on it.
        var village = await _kit.ClientAsync(TestKit.DispatcherOf(escalated.VillageCode));
        var refused = await TestKit.ProblemAsync(await TestKit.TakeAsync(village, accepted, "cancel"), HttpStatusCode.Forbidden);
        Assert.Contains($"该事件由{accepted.CentreName}综治中心负责", refused.GetProperty("detail").GetString());
        var read = await TestKit.GetAsync(village, escalated.Id);
        Assert.Equal((IncidentStatus.Accepted, escalated.TownshipCode, accepted.Version), (read.Status, read.CentreCode, read.Version));
    }

    [Fact]
    public async Task A_case_filed_at_the_wrong_place_is_relocated_and_its_grid_village_and_centre_follow()
    {
        var (wrong, right) = (await _kit.FreshPlaceAsync(within: "410611"), await _kit.FreshPlaceAsync(within: "410621"));
        var accepted = await _kit.BuildAsync(IncidentStatus.Accepted, wrong);
        var centre = await _kit.ClientAsync(TestKit.CentreDispatcher(accepted));

        var noNote = await TestKit.PostTransitionAsync(centre, accepted.Id, accepted.ETag, new { action = "relocate", lon = right.Lon, lat = right.Lat });
        Assert.True((await TestKit.ProblemAsync(noNote, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("note", out _));
        var outside = await TestKit.PostTransitionAsync(centre, accepted.Id, accepted.ETag, new { action = "relocate", lon = 113.0, lat = 35.0, note = "地址有误" });
        await TestKit.ProblemAsync(outside, HttpStatusCode.UnprocessableEntity);

        var moved = await TestKit.ReadAsync<IncidentView>(await TestKit.PostTransitionAsync(centre, accepted.Id, accepted.ETag,
            new { action = "relocate", lon = right.Lon, lat = right.Lat, note = "来电人所报地址有误，实际位于浚县。" }), HttpStatusCode.OK);
        Assert.Equal((right.GridCode, right.GridCode[..12], right.GridCode[..12], IncidentStatus.Accepted),
            (moved.GridCode, moved.VillageCode, moved.CentreCode, moved.Status));
        Assert.Equal(("relocate", right.Lon, right.Lat), (moved.Timeline[^1].Action, moved.Timeline[^1].Lon!.Value, moved.Timeline[^1].Lat!.Value));
        // The old village no longer sees it; the new one acts on it.
        Assert.Equal(HttpStatusCode.NotFound, (await centre.GetAsync($"/api/incidents/{accepted.Id}")).StatusCode);
        Assert.Equal(IncidentStatus.Dispatched, (await _kit.StepAsync(moved, "dispatch")).Status);
    }

    [Fact]
    public async Task A_duplicate_is_merged_into_the_case_it_repeats()
    {
        var place = await _kit.FreshPlaceAsync();
        var original = await _kit.ReportAsync(place, "safety", "井盖缺失，行人易跌落。");
        var repeat = await _kit.ReportAsync(await _kit.FreshPlaceAsync(within: place.GridCode[..12]), "safety", "同一处井盖缺失（重复来电）。");
        var centre = await _kit.ClientAsync(TestKit.CentreDispatcher(repeat));
        var unknown = await TestKit.PostTransitionAsync(centre, repeat.Id, repeat.ETag, new { action = "merge", mergeInto = 999_999_999, note = "重复" });
        Assert.True((await TestKit.ProblemAsync(unknown, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("mergeInto", out _));
        var merged = await TestKit.ReadAsync<IncidentView>(await TestKit.PostTransitionAsync(centre, repeat.Id, repeat.ETag,
            new { action = "merge", mergeInto = original.Id, note = "与原事件为同一事项，并案处理。" }), HttpStatusCode.OK);
        Assert.Equal((IncidentStatus.Cancelled, original.Id), (merged.Status, merged.DuplicateOf));
        Assert.Equal(IncidentStatus.Reported, (await _kit.GetAsync(original.Id)).Status);
    }

    [Fact]
    public async Task A_case_is_transferred_to_a_sibling_centre_which_then_acts_on_it()
    {
        var accepted = await _kit.BuildAsync(IncidentStatus.Accepted, await _kit.FreshPlaceAsync());
        var sibling = await SiblingVillageAsync(accepted.CentreCode);
        var own = await _kit.ClientAsync(TestKit.CentreDispatcher(accepted));
        var cousin = await _kit.ScalarAsync<string>("SELECT code FROM region WHERE level = 'village' AND NOT starts_with(code, $1) ORDER BY code LIMIT 1",
            accepted.CentreCode[..9]);
        var far = await TestKit.PostTransitionAsync(own, accepted.Id, accepted.ETag, new { action = "transfer", centreCode = cousin, note = "不属本村" });
        Assert.True((await TestKit.ProblemAsync(far, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("centreCode", out _));

        // The sibling's screen is open before the transfer: the case must arrive on it live, not at its next reload.
        await using var siblingScreen = await LiveClient.SignInAsync(platform.Address, $"dispatcher-{sibling}");
        await using var renshe = await LiveClient.SignInAsync(platform.Address, "dept-renshe");
        var moved = await TestKit.ReadAsync<IncidentView>(await TestKit.PostTransitionAsync(own, accepted.Id, accepted.ETag,
            new { action = "transfer", centreCode = sibling, note = "该路段由邻村负责管护，转邻村办理。" }), HttpStatusCode.OK);
        Assert.Equal((sibling, IncidentStatus.Accepted), (moved.CentreCode, moved.Status));
        await siblingScreen.WaitForAsync(r => r.Any(e => IsUpdate(e, accepted.Id, "transfer")), TimeSpan.FromSeconds(15), "the transfer on the sibling's screen");

        // The sibling sees it and acts — hands it to a department, which hears of it live — while the village of its place only watches.
        var theirs = await _kit.ClientAsync($"dispatcher-{sibling}");
        Assert.Equal(HttpStatusCode.OK, (await theirs.GetAsync($"/api/incidents/{accepted.Id}")).StatusCode);
        await TestKit.ProblemAsync(await TestKit.TakeAsync(own, moved, "cancel"), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Created, (await theirs.PostAsJsonAsync($"/api/incidents/{accepted.Id}/departments",
            new { departmentCode = "renshe", instructions = "请核实用工单位。", deadline = DateTimeOffset.UtcNow.AddDays(3) })).StatusCode);
        await renshe.WaitForAsync(r => r.Any(e => IsUpdate(e, accepted.Id, "hand_to_department")), TimeSpan.FromSeconds(15), "the hand-off on 人社's screen");
        Assert.Equal(IncidentStatus.Cancelled, (await TestKit.StepAsync(theirs, await _kit.GetAsync(accepted.Id), "cancel")).Status);
        await siblingScreen.WaitForAsync(r => r.Any(e => IsUpdate(e, accepted.Id, "cancel")), TimeSpan.FromSeconds(15), "the sibling's own step");

        // A screen that resumes from before the transfer is replayed the same events (the REST rule, not only the live one).
        await using var replayed = await LiveClient.SignInAsync(platform.Address, $"dispatcher-{sibling}", lastSeq: siblingScreen.StartSeq);
        await replayed.WaitForAsync(r => r.Any(e => IsUpdate(e, accepted.Id, "transfer")), TimeSpan.FromSeconds(15), "the transfer replayed");
        // A third village of another township hears nothing of it.
        await using var stranger = await LiveClient.SignInAsync(platform.Address, $"dispatcher-{cousin}", lastSeq: siblingScreen.StartSeq);
        var control = await _kit.BuildAsync(IncidentStatus.Reported, await _kit.FreshPlaceAsync(within: cousin));
        await stranger.WaitForLaterIncidentAsync(control.Id, "a report in the stranger's own village");
        Assert.DoesNotContain(stranger.Received, e => e.Data.TryGetProperty("id", out var id) && id.GetInt64() == accepted.Id && e.Type == EventTypes.IncidentUpdated);
    }

    static bool IsUpdate(LiveEvent e, long incident, string action) =>
        e.Type == EventTypes.IncidentUpdated && e.Data.GetProperty("id").GetInt64() == incident && e.Data.GetProperty("action").GetString() == action;
}
