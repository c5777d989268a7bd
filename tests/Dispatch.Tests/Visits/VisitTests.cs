using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Incidents;
using Dispatch.Server.Kpis;
using Dispatch.Server.Visits;

namespace Dispatch.Tests.Visits;

/// <summary>大走访 (docs/api.md, "Visits"): visits logged from the phone, coverage as a hand count, problems made incidents, every area check.</summary>
[Collection(PlatformCollection.Name)]
public sealed class VisitTests(PlatformFixture platform)
{
    readonly TestKit _kit = new(platform);

    static string Today => DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd");

    static object Visit(Place at, string kind, string key, string? clientKey = null, DateTimeOffset? visitedAt = null, string[]? problems = null) => new
    {
        kind, key, lon = at.Lon, lat = at.Lat, notes = "入户了解情况", visitedAt, clientKey = clientKey ?? Guid.NewGuid().ToString(),
        problems = (problems ?? []).Select(p => new { description = p }).ToArray(),
    };

    static async Task<VisitView> LogAsync(HttpClient phone, object body, HttpStatusCode expected = HttpStatusCode.Created) =>
        await TestKit.ReadAsync<VisitView>(await phone.PostAsJsonAsync("/api/visits", body), expected);

    Task<long> VisitsOfAsync(string staffCode) =>
        _kit.ScalarAsync<long>("SELECT count(*) FROM visit v JOIN staff s ON s.id = v.staff_id WHERE s.code = $1", staffCode);

    [Fact]
    public async Task Coverage_is_the_hand_count_of_distinct_households_and_follows_the_registered_count()
    {
        var place = await _kit.FreshPlaceAsync();
        var village = place.GridCode[..12];
        var phone = await _kit.ClientAsync($"gw-{place.GridCode}");
        // Two distinct doors (one typed twice, once with a space), a place (not a household), and a door visited before the period.
        await LogAsync(phone, Visit(place, "household", "1号楼101"));
        await LogAsync(phone, Visit(place, "household", " 1号楼 101 "));
        await LogAsync(phone, Visit(place, "household", "1号楼102"));
        await LogAsync(phone, Visit(place, "place", "村委会小卖部"));
        await LogAsync(phone, Visit(place, "household", "1号楼103", visitedAt: DateTimeOffset.UtcNow.AddDays(-2)));

        var supervisor = await _kit.ClientAsync("supervisor");
        async Task<CoverageRow> RowAsync() =>
            (await TestKit.ReadAsync<CoverageView>(await supervisor.GetAsync($"/api/visits/coverage?regionCode={village}&from={Today}&to={Today}"),
                HttpStatusCode.OK)).Rows.Single(r => r.Code == place.GridCode);
        var registered = await _kit.ScalarAsync<int>("SELECT households FROM grid WHERE code = $1", place.GridCode);
        Assert.InRange(registered, 150, 600); // the demo figure
        var row = await RowAsync();
        Assert.Equal(("grid", 2L, (long)registered), (row.Level, row.VisitedHouseholds, row.RegisteredHouseholds));
        Assert.Equal(Math.Round(2.0 / registered, 4), row.Rate);

        // The admin corrects the register: the ratio follows; the write is audited.
        var set = await TestKit.ReadAsync<GridHouseholdsView>(await platform.Http.PutAsJsonAsync($"/api/grids/{place.GridCode}/households",
            new { households = 8 }), HttpStatusCode.OK);
        Assert.Equal((8, "admin"), (set.Households, set.SetBy));
        Assert.Equal(0.25, (await RowAsync()).Rate);
        Assert.Equal(1L, await _kit.ScalarAsync<long>(
            "SELECT count(*) FROM audit WHERE action = 'PUT /api/grids/{code}/households' AND target = $1 AND outcome = 200", $"code={place.GridCode}"));

        // The same figures in the KPIs (the village's grid) and a township's coverage lists the grid too; the village sums its grids.
        var kpis = await TestKit.ReadAsync<KpiReport>(await supervisor.GetAsync($"/api/kpis?regionCode={village}&from={Today}&to={Today}"), HttpStatusCode.OK);
        var figures = kpis.Children.Single(c => c.Code == place.GridCode).Figures;
        Assert.Equal((2L, 8L, 0.25), (figures.VisitedHouseholds, figures.RegisteredHouseholds, figures.VisitCoverageRate));
        Assert.True(kpis.Figures.VisitedHouseholds >= 2);
        var township = await TestKit.ReadAsync<CoverageView>(await supervisor.GetAsync($"/api/visits/coverage?regionCode={village[..9]}&from={Today}&to={Today}"),
            HttpStatusCode.OK);
        Assert.Equal(2L, township.Rows.Single(r => r.Code == place.GridCode).VisitedHouseholds);
        Assert.Equal(township.Rows.Sum(r => r.RegisteredHouseholds), township.Total.RegisteredHouseholds);
        var district = await TestKit.ReadAsync<CoverageView>(await supervisor.GetAsync($"/api/visits/coverage?regionCode={village[..6]}&from={Today}&to={Today}"),
            HttpStatusCode.OK);
        Assert.Contains(district.Rows, r => r.Code == village[..9] && r.Level == "township" && r.VisitedHouseholds >= 2);
        // The map is the same rows as polygons.
        using var map = JsonDocument.Parse(await supervisor.GetStringAsync($"/api/visits/coverage/map?regionCode={village}&from={Today}&to={Today}"));
        var feature = map.RootElement.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("id").GetString() == place.GridCode);
        Assert.Equal(2, feature.GetProperty("properties").GetProperty("visitedHouseholds").GetInt32());
        Assert.Equal("MultiPolygon", feature.GetProperty("geometry").GetProperty("type").GetString());

        // The phone's list: its own visits, the latest first; the default period (this month) holds them all.
        var mine = await TestKit.ReadAsync<VisitPage>(await phone.GetAsync($"/api/visits?from={Today}&to={Today}"), HttpStatusCode.OK);
        Assert.Equal(4, mine.Total);
        Assert.All(mine.Items, v => Assert.Equal($"gw-{place.GridCode}", v.StaffCode));
        Assert.Equal("1号楼 101", mine.Items.Single(v => v.Key.StartsWith("1号楼 ")).Key);
    }

    [Fact]
    public async Task A_resend_with_the_same_client_key_answers_the_first_visit()
    {
        var place = await _kit.FreshPlaceAsync();
        var phone = await _kit.ClientAsync($"gw-{place.GridCode}");
        var body = Visit(place, "household", "2号院", clientKey: "outbox-" + Guid.NewGuid(), problems: ["楼道堆放杂物"]);
        var first = await LogAsync(phone, body);
        var again = await LogAsync(phone, body, HttpStatusCode.OK);
        Assert.Equal(first.Id, again.Id);
        Assert.Single(again.Problems);
        Assert.Equal(1L, await VisitsOfAsync($"gw-{place.GridCode}"));
        Assert.Equal(1L, await _kit.ScalarAsync<long>("SELECT count(*) FROM visit_problem WHERE visit_id = $1", first.Id));
    }

    [Fact]
    public async Task A_problem_becomes_an_incident_in_one_step_and_only_once()
    {
        var place = await _kit.FreshPlaceAsync();
        var phone = await _kit.ClientAsync($"gw-{place.GridCode}");
        var visit = await LogAsync(phone, Visit(place, "household", "5号楼302", problems: ["楼道灭火器过期", "邻里噪音纠纷"]));
        Assert.Equal([0, 1], visit.Problems.Select(p => p.Index));
        Assert.Equal(place.GridCode, visit.GridCode);

        var incident = await TestKit.ReadAsync<IncidentView>(await phone.PostAsJsonAsync($"/api/visits/{visit.Id}/problems/1/incident",
            new { categoryCode = "dispute.neighbour" }), HttpStatusCode.Created);
        Assert.Equal((IncidentStatus.Reported, "dispute.neighbour", place.GridCode, "grid_worker"),
            (incident.Status, incident.CategoryCode, incident.GridCode, incident.Source));
        Assert.Contains("邻里噪音纠纷", incident.Description);
        Assert.Equal((place.Lon, place.Lat), (incident.Lon, incident.Lat), new ToleranceComparer());
        // Twice: the same incident, nothing new.
        var count = await _kit.ScalarAsync<long>("SELECT count(*) FROM incident");
        var again = await TestKit.ReadAsync<IncidentView>(await phone.PostAsJsonAsync($"/api/visits/{visit.Id}/problems/1/incident",
            new { categoryCode = "safety" }), HttpStatusCode.OK);
        Assert.Equal(incident.Id, again.Id);
        Assert.Equal(count, await _kit.ScalarAsync<long>("SELECT count(*) FROM incident"));
        var listed = (await TestKit.ReadAsync<VisitPage>(await phone.GetAsync("/api/visits"), HttpStatusCode.OK)).Items.Single(v => v.Id == visit.Id);
        Assert.Equal([null, incident.Id], listed.Problems.Select(p => p.IncidentId));

        // No such problem; someone else's visit; a bad category or priority — refused, nothing filed.
        await TestKit.ProblemAsync(await phone.PostAsJsonAsync($"/api/visits/{visit.Id}/problems/2/incident", new { categoryCode = "safety" }), HttpStatusCode.NotFound);
        var other = await _kit.ClientAsync($"gw-{(await _kit.FreshPlaceAsync()).GridCode}");
        await TestKit.ProblemAsync(await other.PostAsJsonAsync($"/api/visits/{visit.Id}/problems/0/incident", new { categoryCode = "safety" }), HttpStatusCode.NotFound);
        var bad = await TestKit.ProblemAsync(await phone.PostAsJsonAsync($"/api/visits/{visit.Id}/problems/0/incident", new { categoryCode = "no.such" }),
            HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("categoryCode", out _));
        bad = await TestKit.ProblemAsync(await phone.PostAsJsonAsync($"/api/visits/{visit.Id}/problems/0/incident", new { categoryCode = "safety", priority = 9 }),
            HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("priority", out _));
        Assert.Equal(count, await _kit.ScalarAsync<long>("SELECT count(*) FROM incident"));
        // The centre of the area may turn the other one.
        var centre = await _kit.ClientAsync(TestKit.DispatcherOf(place.GridCode[..12]));
        var second = await TestKit.ReadAsync<IncidentView>(await centre.PostAsJsonAsync($"/api/visits/{visit.Id}/problems/0/incident",
            new { categoryCode = "safety", priority = 2 }), HttpStatusCode.Created);
        Assert.Equal(2, second.Priority);
    }

    [Fact]
    public async Task Writes_and_reads_stay_inside_the_callers_area()
    {
        var place = await _kit.FreshPlaceAsync();
        var gw = $"gw-{place.GridCode}";
        var phone = await _kit.ClientAsync(gw);
        var visit = await LogAsync(phone, Visit(place, "household", "8号楼101"));
        var elsewhere = await _kit.FreshPlaceAsync(outside: place.GridCode[..6]);

        // Another district's grid: refused, nothing written.
        await TestKit.ProblemAsync(await phone.PostAsJsonAsync("/api/visits", Visit(elsewhere, "household", "1号")), HttpStatusCode.Forbidden);
        Assert.Equal(1L, await VisitsOfAsync(gw));
        // Roles that do not log visits: a centre, a supervisor, the wall.
        foreach (var who in new[] { TestKit.DispatcherOf(place.GridCode[..12]), "supervisor", "wall" })
            Assert.Equal(HttpStatusCode.Forbidden, (await (await _kit.ClientAsync(who)).PostAsJsonAsync("/api/visits", Visit(place, "household", "9号"))).StatusCode);
        Assert.Equal(1L, await _kit.ScalarAsync<long>("SELECT count(*) FROM visit WHERE grid_code = $1", place.GridCode));

        // Another district's dispatcher: not in its list, the region refused, its coverage refused.
        var otherDistrict = elsewhere.GridCode[..6];
        var other = await _kit.ClientAsync(TestKit.DispatcherOf(otherDistrict));
        Assert.DoesNotContain((await TestKit.ReadAsync<VisitPage>(await other.GetAsync("/api/visits?pageSize=500"), HttpStatusCode.OK)).Items, v => v.Id == visit.Id);
        await TestKit.ProblemAsync(await other.GetAsync($"/api/visits?regionCode={place.GridCode[..12]}"), HttpStatusCode.NotFound);
        await TestKit.ProblemAsync(await other.GetAsync($"/api/visits/coverage?regionCode={place.GridCode[..12]}"), HttpStatusCode.Forbidden);
        await TestKit.ProblemAsync(await other.GetAsync($"/api/visits/coverage/map?regionCode={place.GridCode[..12]}"), HttpStatusCode.Forbidden);
        // The own district's centre lists it; the phone reads no coverage (it is the centres' board).
        var own = await _kit.ClientAsync(TestKit.DispatcherOf(place.GridCode[..6]));
        Assert.Contains((await TestKit.ReadAsync<VisitPage>(await own.GetAsync($"/api/visits?regionCode={place.GridCode}"), HttpStatusCode.OK)).Items,
            v => v.Id == visit.Id);
        Assert.Equal(HttpStatusCode.Forbidden, (await phone.GetAsync("/api/visits/coverage")).StatusCode);

        // The register: admins only; a grid that does not exist is not found; nothing changes.
        var before = await _kit.ScalarAsync<int>("SELECT households FROM grid WHERE code = $1", place.GridCode);
        foreach (var who in new[] { own, await _kit.ClientAsync("supervisor"), phone })
            Assert.Equal(HttpStatusCode.Forbidden, (await who.PutAsJsonAsync($"/api/grids/{place.GridCode}/households", new { households = 1 })).StatusCode);
        await TestKit.ProblemAsync(await platform.Http.PutAsJsonAsync("/api/grids/410699999999999/households", new { households = 1 }), HttpStatusCode.NotFound);
        var bad = await TestKit.ProblemAsync(await platform.Http.PutAsJsonAsync($"/api/grids/{place.GridCode}/households", new { households = -1 }),
            HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("households", out _));
        Assert.Equal(before, await _kit.ScalarAsync<int>("SELECT households FROM grid WHERE code = $1", place.GridCode));
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_the_field_and_writes_nothing()
    {
        var place = await _kit.FreshPlaceAsync();
        var gw = $"gw-{place.GridCode}";
        var phone = await _kit.ClientAsync(gw);
        var good = new Dictionary<string, object?> { ["kind"] = "household", ["key"] = "3号楼201", ["lon"] = place.Lon, ["lat"] = place.Lat };
        (string Field, object? Value, string Named)[] cases =
        [
            ("kind", "house", "kind"), ("kind", null, "kind"), ("key", " ", "key"), ("key", new string('门', 101), "key"), ("key", "3号\u0007楼", "key"),
            ("lon", 200, "lon"), ("lat", null, "lat"), ("notes", new string('记', 2001), "notes"), ("visitedAt", DateTimeOffset.UtcNow.AddDays(2), "visitedAt"),
            ("visitedAt", DateTimeOffset.UtcNow.AddDays(-40), "visitedAt"), ("clientKey", "has space", "clientKey"), ("clientKey", new string('k', 129), "clientKey"),
            ("problems", Enumerable.Range(0, 21).Select(n => new { description = $"问题{n}" }).ToArray(), "problems"),
            ("problems", new[] { new { description = "好" }, new { description = "" } }, "problems[1].description"),
            ("problems", new[] { new { description = new string('问', 1001) } }, "problems[0].description"),
            ("kind", "a\u0000b", "kind"),
        ];
        foreach (var (field, value, named) in cases)
        {
            var body = new Dictionary<string, object?>(good) { [field] = value };
            var problem = await TestKit.ProblemAsync(await phone.PostAsJsonAsync("/api/visits", body), HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(named, out _), $"{field}: {problem}");
        }
        // A point outside the city is unprocessable, as at intake.
        await TestKit.ProblemAsync(await phone.PostAsJsonAsync("/api/visits", new Dictionary<string, object?>(good) { ["lon"] = 0.0, ["lat"] = 0.0 }),
            (HttpStatusCode)422);
        foreach (var (query, field) in new[] { ("regionCode=x", "regionCode"), ("from=yesterday", "from"), ("pageSize=0", "pageSize") })
        {
            var problem = await TestKit.ProblemAsync(await phone.GetAsync($"/api/visits?{query}"), HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), query);
        }
        Assert.Equal(0L, await VisitsOfAsync(gw));
    }

    sealed class ToleranceComparer : IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) a, (double, double) b) => Math.Abs(a.Item1 - b.Item1) < 1e-9 && Math.Abs(a.Item2 - b.Item2) < 1e-9;
        public int GetHashCode((double, double) obj) => 0;
    }
}
