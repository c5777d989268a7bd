using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Incidents;

namespace Dispatch.Tests.Security;

/// <summary>
/// The attack on dispatch (issue 10, findings 1, 5 and 11): a district dispatcher sending another
/// district's staff, a team padded without limit, refusals naming strangers, the ladder climbed by
/// one village dispatcher, and a likely duplicate across a border. Each case is acted on by its
/// responsible centre (a criminal case's is the district's).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DispatchScopeTests(PlatformFixture platform)
{
    readonly TestKit _kit = new(platform);
    const string Qibin = "410611", Xun = "410621";

    async Task<long> StaffIdAsync(string kind, string district) =>
        await _kit.ScalarAsync<long>("SELECT id FROM staff WHERE kind = $1 AND starts_with(grid_code, $2) AND status = 'available' ORDER BY md5(code) LIMIT 1", kind, district);

    [Fact]
    public async Task A_district_dispatcher_cannot_dispatch_or_be_offered_staff_of_another_district()
    {
        var qibin = await _kit.ClientAsync("qibin.dispatcher");
        // A criminal case starts at the district's centre, so 淇滨区's dispatcher is the one to act.
        var incident = await _kit.ReportAsync(await _kit.FreshPlaceAsync(within: Qibin), "criminal", reporter: "qibin.dispatcher");
        Assert.Equal(Qibin, incident.CentreCode);
        incident = await _kit.StepAsync(incident, "accept", actor: "qibin.dispatcher");
        var strangers = new[] { await StaffIdAsync("grid_worker", Xun), await StaffIdAsync("police", Xun) };

        var response = await TestKit.PostTransitionAsync(qibin, incident.Id, incident.ETag, new { action = "dispatch", staffIds = strangers });

        var problem = await TestKit.ProblemAsync(response, HttpStatusCode.BadRequest);
        var reason = problem.GetProperty("errors").GetProperty("staffIds")[0].GetString()!;
        Assert.Contains("不在您的辖区内", reason);
        var names = await _kit.ScalarAsync<string[]>("SELECT array_agg(name) FROM staff WHERE id = ANY ($1)", strangers);
        Assert.All(names, name => Assert.DoesNotContain(name, reason)); // refused by id, never by name
        Assert.Equal(2L, await _kit.ScalarAsync<long>("SELECT count(*) FROM staff WHERE id = ANY ($1) AND status = 'available'", strangers));

        var offered = (await qibin.GetFromJsonAsync<List<RoleRecommendation>>($"/api/incidents/{incident.Id}/recommendations", TestKit.Web))!;
        Assert.All(offered.SelectMany(r => r.Alternatives.Append(r.Recommended!)), c => Assert.StartsWith(Qibin, c.GridCode));
        await _kit.StepAsync(await _kit.GetAsync(incident.Id), "cancel", actor: "qibin.dispatcher");
    }

    [Fact]
    public async Task A_team_holds_the_roles_its_category_needs_and_only_a_declined_member_is_replaced()
    {
        // An accident is its township centre's, which sends its own people.
        var incident = await _kit.ReportAsync(await _kit.FreshPlaceAsync(within: Qibin), "accident", reporter: "qibin.dispatcher");
        var centre = TestKit.CentreDispatcher(incident);
        incident = await _kit.StepAsync(incident, "accept", actor: centre);
        var team = await _kit.RecommendedTeamAsync(incident.Id); // a police officer and a grid worker
        incident = await _kit.StepAsync(incident, "dispatch", team, centre);

        // A third person of the township, of a role already filled: refused, nothing added.
        var extra = await StaffIdAsync("grid_worker", incident.CentreCode);
        var padded = await TestKit.PostTransitionAsync(await _kit.ClientAsync(centre), incident.Id, incident.ETag,
            new { action = "dispatch", staffIds = new[] { extra } });
        var problem = await TestKit.ProblemAsync(padded, HttpStatusCode.BadRequest);
        Assert.Contains("不能再增派", problem.GetProperty("errors").GetProperty("staffIds")[0].GetString());
        Assert.Equal(2, (await _kit.GetAsync(incident.Id)).Assignments.Count);

        // The officer declines: one officer may now be sent in their place, and only one.
        var officer = incident.Assignments.Single(a => a.Role == "police");
        incident = await _kit.StepAsync(incident, "decline", actor: officer.StaffCode);
        var replacement = (await _kit.RecommendationsAsync(incident.Id)).Single(r => r.Role == "police").Recommended!.StaffId;
        incident = await _kit.StepAsync(incident, "dispatch", [replacement], centre);
        Assert.Equal(2, incident.Assignments.Count(a => a.Status is "pending" or "acknowledged"));
        await _kit.StepAsync(incident, "cancel", actor: centre);
    }

    [Fact]
    public async Task A_village_dispatcher_who_escalated_only_watches_and_cannot_climb_the_ladder()
    {
        var place = await _kit.FreshPlaceAsync(within: Qibin);
        var village = $"dispatcher-{place.GridCode[..12]}";
        var incident = await _kit.ReportAsync(place, "safety", reporter: village);
        Assert.Equal(place.GridCode[..12], incident.CentreCode);
        incident = await _kit.StepAsync(incident, "escalate", actor: village);
        Assert.Equal(("township", place.GridCode[..9]), (incident.Level, incident.CentreCode));

        foreach (var action in new[] { "accept", "cancel" })
        {
            var refused = await _kit.TakeAsync(incident, action, actor: village);
            var problem = await TestKit.ProblemAsync(refused, HttpStatusCode.Forbidden);
            Assert.Contains("只能查看进展", problem.GetProperty("detail").GetString());
        }
        // Nor may it take the case back, nor the district skip the township without pulling it up.
        await TestKit.ProblemAsync(await _kit.TakeAsync(incident, "pull_up", actor: village), HttpStatusCode.Forbidden);
        var skipped = await TestKit.ProblemAsync(await _kit.TakeAsync(incident, "accept", actor: $"dispatcher-{Qibin}"), HttpStatusCode.Forbidden);
        Assert.Contains("请先提级", skipped.GetProperty("detail").GetString());
        Assert.Equal(incident.Version, (await _kit.GetAsync(incident.Id)).Version);
        // The township, where the case now is, acts on it.
        await _kit.StepAsync(incident, "accept", actor: $"dispatcher-{place.GridCode[..9]}");
    }

    [Fact]
    public async Task A_likely_duplicate_across_a_district_border_is_not_named_to_either_side()
    {
        // Two points within 100 m of each other on either side of a border between two districts.
        await using var cmd = platform.Db.CreateCommand("""
            WITH pair AS (
                SELECT a.geom AS ga, b.geom AS gb, ST_PointOnSurface(ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom))) AS p
                FROM grid a JOIN grid b ON a.geom && b.geom AND left(a.code, 6) < left(b.code, 6) AND ST_Touches(a.geom, b.geom)
                LIMIT 1)
            SELECT ST_X(pa), ST_Y(pa), ST_X(pb), ST_Y(pb) FROM pair,
                LATERAL (SELECT ST_PointOnSurface(ST_Intersection(ga, ST_Buffer(p, 0.0004))) AS pa, ST_PointOnSurface(ST_Intersection(gb, ST_Buffer(p, 0.0004))) AS pb) x
            """);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync(), "no two districts' grids touch");
        double[] c = [r.GetDouble(0), r.GetDouble(1), r.GetDouble(2), r.GetDouble(3)];
        await r.DisposeAsync();

        var first = await _kit.ReportAsync(new Place("", c[0], c[1]), "service");
        var second = await _kit.ReportAsync(new Place("", c[2], c[3]), "service");
        Assert.NotEqual(first.DistrictCode, second.DistrictCode);
        Assert.Equal(first.Id, second.DuplicateOf); // the city sees both

        var local = await _kit.ClientAsync($"dispatcher-{second.DistrictCode}");
        var seen = (await local.GetFromJsonAsync<IncidentView>($"/api/incidents/{second.Id}", TestKit.Web))!;
        Assert.Null(seen.DuplicateOf); // its own district never learns the other's case id
        foreach (var done in new[] { first, second }) await _kit.StepAsync(await _kit.GetAsync(done.Id), "cancel");
    }

    [Fact]
    public async Task A_worker_released_by_a_cancellation_sees_the_reporter_masked()
    {
        var place = await _kit.FreshPlaceAsync(within: Qibin);
        var incident = await TestKit.ReportAsync(await _kit.ClientAsync("qibin.dispatcher"), place, "safety", "释放后的脱敏测试", "李四", "13912345678");
        incident = await _kit.StepAsync(incident, "accept");
        incident = await _kit.StepAsync(incident, "dispatch");
        var worker = await _kit.ClientAsync(incident.Assignments.Single().StaffCode);
        Assert.Equal("13912345678", (await worker.GetFromJsonAsync<IncidentView>($"/api/incidents/{incident.Id}", TestKit.Web))!.ReporterPhone);

        await _kit.StepAsync(incident, "cancel");

        var after = (await worker.GetFromJsonAsync<IncidentView>($"/api/incidents/{incident.Id}", TestKit.Web))!;
        Assert.Equal("139****5678", after.ReporterPhone);
    }
}
