using System.Net;
using Dispatch.Server.Incidents;

namespace Dispatch.Tests.Incidents;

/// <summary>
/// Who is offered and who may be sent: the nearest available person of each role inside the
/// responsible centre's area (as PostGIS itself finds them), never someone already busy, nobody
/// booked twice even under a race, and a composite team that answers member by member.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RecommendationTests(PlatformFixture platform)
{
    readonly TestKit _kit = new(platform);

    /// <summary>The nearest available, on-duty person of a role among the staff of a centre's area (the city's: everyone).</summary>
    const string Knn = """
        SELECT id FROM staff s WHERE kind = $1 AND status = 'available' AND on_duty(s, now()) AND ($4 = '410600' OR starts_with(grid_code, $4))
        ORDER BY position <-> ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography LIMIT 1
        """;

    Task<long> NearestAsync(string role, IncidentView incident) => _kit.ScalarAsync<long>(Knn, role, incident.Lon, incident.Lat, incident.CentreCode);

    Task<double> MetresAsync(long staffId, double lon, double lat) => _kit.ScalarAsync<double>(
        "SELECT ST_Distance(position, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography) FROM staff WHERE id = $1", staffId, lon, lat);

    Task<string> StaffStatusAsync(long staffId) => _kit.ScalarAsync<string>("SELECT status FROM staff WHERE id = $1", staffId);

    Task<long> LiveAssignmentsAsync(long staffId) => _kit.ScalarAsync<long>(
        "SELECT count(*) FROM assignment WHERE staff_id = $1 AND status IN ('pending', 'acknowledged')", staffId);

    /// <summary>A point drawn at random (seeded) inside the grid, so that distances are not all zero.</summary>
    async Task<Place> SomewhereInAsync(Place grid, int seed)
    {
        await using var cmd = platform.Db.CreateCommand(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_GeometryN(ST_GeneratePoints(geom, 1, $2), 1) AS p FROM grid WHERE code = $1) g");
        cmd.Parameters.Add(new() { Value = grid.GridCode });
        cmd.Parameters.Add(new() { Value = seed });
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        return grid with { Lon = r.GetDouble(0), Lat = r.GetDouble(1) };
    }

    [Fact]
    public async Task The_recommended_person_of_each_role_is_the_nearest_available_one_by_postgis_knn()
    {
        string[] categories = ["dispute.land", "order", "criminal", "petition", "accident", "dispute.wages"];
        var grids = await _kit.FreshPlacesAsync(12);
        var compared = 0;

        for (var i = 0; i < grids.Count; i++)
        {
            var place = await SomewhereInAsync(grids[i], 20261128 + i);
            var category = categories[i % categories.Length];
            var incident = await _kit.ReportAsync(place, category);
            var recommendations = await _kit.RecommendationsAsync(incident.Id);

            var roles = await _kit.ScalarAsync<string[]>("SELECT roles FROM category WHERE code = $1", category);
            Assert.Equal(roles, recommendations.Select(r => r.Role));
            foreach (var role in recommendations)
            {
                var offered = role.Recommended!;
                var knn = await NearestAsync(role.Role, incident);
                var metres = await MetresAsync(offered.StaffId, incident.Lon, incident.Lat);
                Assert.Equal(role.Role, offered.Kind);
                Assert.True(Writers.Covers(incident.CentreCode, offered.GridCode), $"{offered.StaffCode} is outside {incident.CentreCode}");
                Assert.Equal("available", await StaffStatusAsync(offered.StaffId));
                Assert.InRange(offered.DistanceMetres, metres - 1, metres + 1);
                if (offered.StaffId != knn)
                {
                    // KNN on geography orders on the sphere, ST_Distance measures on the spheroid; on a
                    // near tie (under 0.5 %) they may disagree, and then the nearer by ST_Distance is right.
                    var knnMetres = await MetresAsync(knn, incident.Lon, incident.Lat);
                    Assert.True(metres <= knnMetres && knnMetres - metres < 0.005 * metres,
                        $"{category} at ({incident.Lon}, {incident.Lat}): {role.Role} {offered.StaffCode} at {metres:F1} m offered, KNN gives #{knn} at {knnMetres:F1} m");
                }
                Assert.All(role.Alternatives, a => Assert.True(a.DistanceMetres >= offered.DistanceMetres && a.Kind == role.Role && a.StaffId != offered.StaffId));
                Assert.Equal(role.Alternatives.OrderBy(a => a.DistanceMetres).Select(a => a.StaffId), role.Alternatives.Select(a => a.StaffId));
                Assert.Contains($"{offered.DistanceMetres:N0} 米", offered.Reason);
                compared++;
            }
        }
        Assert.True(compared >= 20, $"only {compared} roles compared");
    }

    [Fact]
    public async Task A_busy_person_is_never_recommended_and_cannot_be_dispatched_again()
    {
        var place = await _kit.FreshPlaceAsync();
        var first = await _kit.BuildAsync(IncidentStatus.Dispatched, place);
        var busy = Assert.Single(first.Assignments).StaffId;
        var second = await _kit.BuildAsync(IncidentStatus.Accepted, place);

        var recommendations = await _kit.RecommendationsAsync(second.Id);
        var offered = Assert.Single(recommendations).Recommended!;
        Assert.DoesNotContain(busy, recommendations.SelectMany(r => r.Alternatives.Append(r.Recommended!)).Select(c => c.StaffId));
        Assert.Equal(await NearestAsync("grid_worker", second), offered.StaffId);
        Assert.True(await MetresAsync(busy, place.Lon, place.Lat) <= offered.DistanceMetres, "the busy person was the nearer one");

        var problem = await TestKit.ProblemAsync(await _kit.TakeAsync(second, "dispatch", [busy]), HttpStatusCode.Conflict);
        Assert.Contains(first.Assignments[0].StaffName, problem.GetProperty("detail").GetString());

        var after = await _kit.GetAsync(second.Id);
        Assert.Equal((IncidentStatus.Accepted, second.Version, 0), (after.Status, after.Version, after.Assignments.Count));
        Assert.Equal(1L, await LiveAssignmentsAsync(busy));
    }

    [Fact]
    public async Task Two_incidents_dispatching_the_same_person_at_once_book_them_once()
    {
        var failures = new List<string>();

        for (var round = 0; round < 10; round++)
        {
            var place = await _kit.FreshPlaceAsync();
            var a = await _kit.BuildAsync(IncidentStatus.Accepted, place);
            var b = await _kit.BuildAsync(IncidentStatus.Accepted, place);
            // The responsible centre's dispatcher and its supervisor, each on their own connection.
            var dispatcher = await _kit.ClientAsync(TestKit.CentreDispatcher(a));
            var supervisor = await _kit.ClientAsync($"supervisor-{b.CentreCode}");
            var person = (await _kit.RecommendedTeamAsync(a.Id)).Single();
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            var toA = Task.Run(async () => { await gate.Task; return await TestKit.PostTransitionAsync(dispatcher, a.Id, a.ETag, new { action = "dispatch", staffIds = new[] { person } }); });
            var toB = Task.Run(async () => { await gate.Task; return await TestKit.PostTransitionAsync(supervisor, b.Id, b.ETag, new { action = "dispatch", staffIds = new[] { person } }); });
            gate.SetResult();
            var codes = (await Task.WhenAll(toA, toB)).Select(r => r.StatusCode).ToArray();

            var (winner, loser) = codes[0] == HttpStatusCode.OK ? (a, b) : (b, a);
            var outcome = ((await _kit.GetAsync(winner.Id)).Status, (await _kit.GetAsync(loser.Id)).Status, (await _kit.GetAsync(loser.Id)).Version,
                await LiveAssignmentsAsync(person), await StaffStatusAsync(person));
            if (codes.Count(c => c == HttpStatusCode.OK) != 1 || codes.Count(c => c == HttpStatusCode.Conflict) != 1
                || outcome != (IncidentStatus.Dispatched, IncidentStatus.Accepted, loser.Version, 1L, "busy"))
                failures.Add($"round {round}: {string.Join(" / ", codes.Select(c => (int)c))}, {outcome}");
        }

        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }

    [Fact]
    public async Task A_composite_team_acknowledges_member_by_member_and_a_declined_member_is_replaced()
    {
        var incident = await _kit.BuildAsync(IncidentStatus.Accepted, await _kit.FreshPlaceAsync(), "dispute.neighbour");
        var offered = await _kit.RecommendationsAsync(incident.Id);
        Assert.Equal(["grid_worker", "mediator"], offered.Select(r => r.Role));
        var (worker, mediator) = (offered[0].Recommended!, offered[1].Recommended!);

        incident = await _kit.StepAsync(incident, "dispatch", [worker.StaffId, mediator.StaffId]);
        Assert.Equal(IncidentStatus.Dispatched, incident.Status);
        Assert.All(incident.Assignments, a => Assert.Equal("pending", a.Status));

        // The mediation team cannot come: the grid worker is still to answer, so the team is still being formed.
        incident = await _kit.StepAsync(incident, "decline", actor: mediator.StaffCode);
        Assert.Equal(IncidentStatus.Dispatched, incident.Status);
        Assert.Equal("declined", incident.Assignments.Single(a => a.StaffId == mediator.StaffId).Status);
        Assert.Equal("available", await StaffStatusAsync(mediator.StaffId));

        // The village has one mediation team, and it declined: its township pulls the case up (提级) to send a neighbour's.
        var village = (await _kit.RecommendationsAsync(incident.Id))[1];
        Assert.All(village.Alternatives.Append(village.Recommended!), c => Assert.Equal(mediator.StaffId, c.StaffId));
        var township = TestKit.SuperiorDispatcher(incident);
        incident = await _kit.StepAsync(incident, "pull_up", actor: township);
        Assert.Equal((IncidentStatus.Dispatched, incident.TownshipCode), (incident.Status, incident.CentreCode));

        var replacement = (await _kit.RecommendationsAsync(incident.Id))[1];
        var substitute = replacement.Recommended!.StaffId != mediator.StaffId ? replacement.Recommended : replacement.Alternatives[0];
        Assert.NotEqual(incident.VillageCode, substitute.GridCode[..12]);
        incident = await _kit.StepAsync(incident, "dispatch", [substitute.StaffId]);
        Assert.Equal(IncidentStatus.Dispatched, incident.Status);

        incident = await _kit.StepAsync(incident, "acknowledge", actor: worker.StaffCode);
        Assert.Equal(IncidentStatus.Dispatched, incident.Status);
        incident = await _kit.StepAsync(incident, "acknowledge", actor: substitute.StaffCode);
        Assert.Equal(IncidentStatus.Acknowledged, incident.Status);

        Assert.Equal([(worker.StaffId, "acknowledged"), (mediator.StaffId, "declined"), (substitute.StaffId, "acknowledged")],
            incident.Assignments.OrderBy(a => a.Id).Select(a => (a.StaffId, a.Status)));
        Assert.Equal(
            [("report", "reported"), ("accept", "accepted"), ("dispatch", "dispatched"), ("decline", "dispatched"),
             ("pull_up", "dispatched"), ("dispatch", "dispatched"), ("acknowledge", "dispatched"), ("acknowledge", "acknowledged")],
            incident.Timeline.Select(t => (t.Action, t.ToStatus)));
        Assert.Equal([mediator.StaffCode, township, township, worker.StaffCode, substitute.StaffCode],
            incident.Timeline.Skip(3).Select(t => t.Actor));
        Assert.Equal(8, incident.Version);
    }

    [Fact]
    public async Task When_every_member_declines_the_incident_goes_back_to_the_dispatcher_and_everyone_is_free()
    {
        var incident = await _kit.BuildAsync(IncidentStatus.Accepted, await _kit.FreshPlaceAsync(), "dispute.neighbour");
        var team = await _kit.RecommendedTeamAsync(incident.Id);
        incident = await _kit.StepAsync(incident, "dispatch", team);
        var codes = incident.Assignments.Select(a => a.StaffCode).ToList();

        incident = await _kit.StepAsync(incident, "decline", actor: codes[0]);
        Assert.Equal(IncidentStatus.Dispatched, incident.Status);
        // The first to decline has no say any more.
        await TestKit.ProblemAsync(await _kit.TakeAsync(incident, "decline", actor: codes[0]), HttpStatusCode.Forbidden);
        incident = await _kit.StepAsync(incident, "decline", actor: codes[1]);

        Assert.Equal(IncidentStatus.Accepted, incident.Status);
        Assert.All(incident.Assignments, a => Assert.Equal("declined", a.Status));
        foreach (var id in team) Assert.Equal("available", await StaffStatusAsync(id));
    }
}
