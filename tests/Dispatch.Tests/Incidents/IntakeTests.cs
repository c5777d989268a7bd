using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dispatch.Server.Incidents;

namespace Dispatch.Tests.Incidents;

/// <summary>Reporting an incident: idempotency, validation, limits, verbatim storage, the duplicate flag and the reporter's area.</summary>
[Collection(PlatformCollection.Name)]
public sealed class IntakeTests(PlatformFixture platform)
{
    readonly TestKit _kit = new(platform);

    async Task<HttpResponseMessage> PostAsync(object body, string? key = null, string reporter = TestKit.Dispatcher)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/incidents") { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return await (await _kit.ClientAsync(reporter)).SendAsync(request);
    }

    async Task<HttpResponseMessage> PostRawAsync(string json)
    {
        var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await (await _kit.ClientAsync(TestKit.Dispatcher)).PostAsync("/api/incidents", content);
    }

    Task<long> CountAsync(string description) =>
        _kit.ScalarAsync<long>("SELECT count(*) FROM incident WHERE description = $1", description);

    [Fact]
    public async Task The_same_key_and_body_twice_give_the_same_incident_once()
    {
        var body = TestKit.Report(await _kit.FreshPlaceAsync());
        var key = Guid.NewGuid().ToString();

        var first = await TestKit.ReadAsync(await PostAsync(body, key), HttpStatusCode.Created);
        var again = await PostAsync(body, key);
        var second = await TestKit.ReadAsync(again, HttpStatusCode.Created);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal($"/api/incidents/{first.Id}", again.Headers.Location?.OriginalString);
        Assert.Equal(1L, await CountAsync(first.Description));
        Assert.Equal(1L, await _kit.ScalarAsync<long>("SELECT count(*) FROM incident_event WHERE incident_id = $1", first.Id));
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_422_and_creates_nothing()
    {
        var place = await _kit.FreshPlaceAsync();
        var key = Guid.NewGuid().ToString();
        var first = await TestKit.ReadAsync(await PostAsync(TestKit.Report(place, description: "第一次的描述"), key), HttpStatusCode.Created);
        var other = $"另一份报告 {Guid.NewGuid():N}";

        var problem = await TestKit.ProblemAsync(await PostAsync(TestKit.Report(place, description: other), key), HttpStatusCode.UnprocessableEntity);

        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _), problem.ToString());
        Assert.Equal(0L, await CountAsync(other));
        Assert.Equal(IncidentStatus.Reported, (await _kit.GetAsync(first.Id)).Status);
    }

    [Fact]
    public async Task The_same_key_is_per_reporter()
    {
        var place = await _kit.FreshPlaceAsync();
        var key = Guid.NewGuid().ToString();
        var body = TestKit.Report(place);

        var mine = await TestKit.ReadAsync(await PostAsync(body, key), HttpStatusCode.Created);
        var theirs = await TestKit.ReadAsync(await PostAsync(body, key, reporter: "supervisor"), HttpStatusCode.Created);

        Assert.NotEqual(mine.Id, theirs.Id);
    }

    [Fact]
    public async Task Ten_simultaneous_posts_with_one_key_make_one_incident()
    {
        var description = $"十人同时上报 {Guid.NewGuid():N}";
        var body = TestKit.Report(await _kit.FreshPlaceAsync(), description: description);
        var key = Guid.NewGuid().ToString();
        await _kit.ClientAsync(TestKit.Dispatcher);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var posts = Enumerable.Range(0, 10).Select(_ => Task.Run(async () => { await gate.Task; return await PostAsync(body, key); })).ToList();
        gate.SetResult();
        var responses = await Task.WhenAll(posts);

        var ids = new List<long>();
        foreach (var response in responses) ids.Add((await TestKit.ReadAsync(response, HttpStatusCode.Created)).Id);
        Assert.Single(ids.Distinct());
        Assert.Equal(1L, await CountAsync(description));
        Assert.Equal(1L, await _kit.ScalarAsync<long>("SELECT count(*) FROM idempotency_key WHERE key = $1", key));
    }

    [Theory]
    [InlineData(116.40, 39.90)]  // Beijing
    [InlineData(114.00, 35.40)]  // just beyond the city's south-western corner
    public async Task A_point_outside_the_city_is_422_naming_lon(double lon, double lat)
    {
        var description = $"城外 {Guid.NewGuid():N}";
        var response = await PostAsync(new { categoryCode = "safety", description, lon, lat });

        var problem = await TestKit.ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.True(problem.GetProperty("errors").TryGetProperty("lon", out _));
        Assert.Equal(0L, await CountAsync(description));
    }

    [Theory]
    [InlineData("""{ "categoryCode": "safety", "description": "坏经度", "lon": "east", "lat": 35.7 }""", "lon")]
    [InlineData("""{ "categoryCode": "safety", "description": "坏纬度", "lon": 114.3, "lat": [35.7] }""", "lat")]
    [InlineData("""{ "categoryCode": "safety", "description": "坏优先级", "lon": 114.3, "lat": 35.7, "priority": "high" }""", "priority")]
    [InlineData("""{ "categoryCode": "safety", "description": "没写完", "lon": 114.3, """, "body")]
    [InlineData("""not json at all""", "body")]
    public async Task Malformed_json_is_400_naming_the_field(string json, string field)
    {
        var problem = await TestKit.ProblemAsync(await PostRawAsync(json), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), errors.ToString());
    }

    [Fact]
    public async Task Missing_fields_are_400_naming_each_of_them()
    {
        var problem = await TestKit.ProblemAsync(await PostRawAsync("{}"), HttpStatusCode.BadRequest);

        var named = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order();
        Assert.Equal(["categoryCode", "description", "lat", "lon"], named);
    }

    [Theory]
    [InlineData("""{ "categoryCode": "nonsense", "description": "未知类别", "lon": 114.297, "lat": 35.748 }""", "categoryCode")]
    [InlineData("""{ "categoryCode": "safety", "description": "   ", "lon": 114.297, "lat": 35.748 }""", "description")]
    [InlineData("""{ "categoryCode": "safety", "description": "优先级", "lon": 114.297, "lat": 35.748, "priority": 5 }""", "priority")]
    [InlineData("""{ "categoryCode": "safety", "description": "来源", "lon": 114.297, "lat": 35.748, "source": "pigeon" }""", "source")]
    [InlineData("""{ "categoryCode": "safety", "description": "电话", "lon": 114.297, "lat": 35.748, "reporterPhone": "call me" }""", "reporterPhone")]
    public async Task Unacceptable_values_are_400_naming_the_field(string json, string field)
    {
        var problem = await TestKit.ProblemAsync(await PostRawAsync(json), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_413()
    {
        var place = await _kit.FreshPlaceAsync();
        var padding = new string('x', CreateIncident.MaxBodyBytes);
        var json = JsonSerializer.Serialize(new { categoryCode = "safety", description = "太长", lon = place.Lon, lat = place.Lat, reporterName = padding });

        var response = await PostRawAsync(json);

        await TestKit.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0L, await _kit.ScalarAsync<long>("SELECT count(*) FROM incident WHERE grid_code = $1", place.GridCode));
    }

    [Theory]
    [InlineData("<script>alert('网格')</script>")]
    [InlineData("'; DROP TABLE incident; --")]
    [InlineData("Robert'); DELETE FROM staff WHERE ('1'='1")]
    [InlineData("引号\"反斜杠\\和换行\n以及 emoji 🚒 与 NUL 之外的一切")]
    public async Task Hostile_descriptions_are_stored_and_returned_verbatim(string description)
    {
        var text = $"{description} {Guid.NewGuid():N}";

        var created = await _kit.ReportAsync(await _kit.FreshPlaceAsync(), description: text);

        Assert.Equal(text, created.Description);
        Assert.Equal(text, (await _kit.GetAsync(created.Id)).Description);
        Assert.Equal(text, await _kit.ScalarAsync<string>("SELECT description FROM incident WHERE id = $1", created.Id));
        Assert.True(await _kit.ScalarAsync<long>("SELECT count(*) FROM staff") > 4000);
    }

    /// <summary>A place with room around it: no incident within 1 km, and 300 m north and south still inside the city.</summary>
    async Task<Place> RoomyPlaceAsync()
    {
        for (var tries = 0; tries < 20; tries++)
        {
            var place = await _kit.FreshPlaceAsync(clearanceMetres: 1000);
            var inside = await _kit.ScalarAsync<long>("""
                SELECT count(*) FROM unnest(ARRAY[-0.0036, 0.0036]) AS d
                WHERE EXISTS (SELECT 1 FROM grid WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint($1, $2 + d), 4326)))
                """, place.Lon, place.Lat);
            if (inside == 2) return place;
        }
        throw new InvalidOperationException("No roomy place left.");
    }

    /// <summary>Metres north (positive) or south of a place, as a place there.</summary>
    static Place North(Place p, double metres) => p with { Lat = p.Lat + metres / 111_000.0 };

    async Task<double> MetresBetweenAsync(IncidentView a, IncidentView b) => await _kit.ScalarAsync<double>(
        "SELECT ST_Distance(a.location::geography, b.location::geography) FROM incident a, incident b WHERE a.id = $1 AND b.id = $2", a.Id, b.Id);

    [Fact]
    public async Task The_same_category_within_200_m_and_24_h_is_flagged_as_a_duplicate_of_the_first()
    {
        var place = await RoomyPlaceAsync();
        var first = await _kit.ReportAsync(place, "safety");
        var near = await _kit.ReportAsync(North(place, 150), "safety");
        var otherKind = await _kit.ReportAsync(North(place, 50), "service");
        var far = await _kit.ReportAsync(North(place, -250), "safety");

        Assert.InRange(await MetresBetweenAsync(first, near), 140, 160);
        Assert.InRange(await MetresBetweenAsync(first, far), 240, 260);
        Assert.InRange(await MetresBetweenAsync(near, far), 390, 410);
        Assert.Null(first.DuplicateOf);
        Assert.Equal(first.Id, near.DuplicateOf);
        Assert.Null(otherKind.DuplicateOf);
        Assert.Null(far.DuplicateOf);
        Assert.Equal(first.Id, (await _kit.GetAsync(near.Id)).DuplicateOf);
    }

    [Fact]
    public async Task A_report_older_than_24_h_or_cancelled_is_not_a_duplicate_target()
    {
        var place = await RoomyPlaceAsync();
        var old = await _kit.ReportAsync(place, "service");
        var withdrawn = await _kit.ReportAsync(North(place, 20), "order");
        await _kit.StepAsync(withdrawn, "cancel");
        await using (var cmd = platform.Db.CreateCommand("UPDATE incident SET created_at = now() - interval '25 hours' WHERE id = $1"))
        {
            cmd.Parameters.Add(new() { Value = old.Id });
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }

        Assert.Null((await _kit.ReportAsync(North(place, 10), "service")).DuplicateOf);
        Assert.Null((await _kit.ReportAsync(North(place, 10), "order")).DuplicateOf);
    }

    [Fact]
    public async Task A_township_dispatcher_may_report_inside_their_township_but_not_outside_it()
    {
        var home = await _kit.FreshPlaceAsync();
        var township = home.GridCode[..9];
        var away = await _kit.FreshPlaceAsync(outside: township);
        var dispatcher = $"dispatcher-{township}";

        var inside = await TestKit.ReadAsync(await PostAsync(TestKit.Report(home), reporter: dispatcher), HttpStatusCode.Created);
        var description = $"辖区外 {Guid.NewGuid():N}";
        var outside = await PostAsync(TestKit.Report(away, description: description), reporter: dispatcher);

        Assert.Equal(township, inside.TownshipCode);
        await TestKit.ProblemAsync(outside, HttpStatusCode.Forbidden);
        Assert.Equal(0L, await CountAsync(description));
    }

    [Fact]
    public async Task A_report_lands_in_its_grid_with_the_category_defaults_and_a_report_entry()
    {
        var place = await _kit.FreshPlaceAsync();

        var created = await _kit.ReportAsync(place, "accident");

        Assert.Equal((IncidentStatus.Reported, 1, place.GridCode, place.GridCode[..12], place.GridCode[..9], place.GridCode[..6], "township", 1, "hotline"),
            (created.Status, created.Version, created.GridCode, created.VillageCode, created.TownshipCode, created.DistrictCode, created.Level,
             created.Priority, created.Source));
        var entry = Assert.Single(created.Timeline);
        Assert.Equal((TestKit.Dispatcher, "report", null, "reported"), (entry.Actor, entry.Action, entry.FromStatus, entry.ToStatus));
        // accident: accept within 5 minutes.
        Assert.InRange((created.DueAt!.Value - created.CreatedAt).TotalMinutes, 4.9, 5.1);
    }
}
