using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Dispatch.Tests.Security;

/// <summary>
/// Finding 10 of issue 10: inputs that answered 500 (and lost the audit row with it). Each now
/// answers 400 naming the field, the audit keeps the refusal, and nothing is half-written.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class InputBoundsTests(PlatformFixture platform)
{
    async Task<long> LastAuditIdAsync() => await platform.QueryScalarAsync<long?>("SELECT max(id) FROM audit") ?? 0;

    async Task<int?> AuditedOutcomeAsync(long after, string actionLike, string username)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(5); DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            await using var cmd = platform.Db.CreateCommand("SELECT outcome FROM audit WHERE id > $1 AND action LIKE $2 AND username = $3 ORDER BY id LIMIT 1");
            cmd.Parameters.Add(new() { Value = after });
            cmd.Parameters.Add(new() { Value = actionLike });
            cmd.Parameters.Add(new() { Value = username });
            if (await cmd.ExecuteScalarAsync() is int outcome) return outcome;
        }
        return null;
    }

    static void NamesField(JsonElement problem, string field) =>
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"the problem does not name {field}: {problem}");

    [Theory]
    [InlineData("/api/incidents?status=%00", "status")]
    [InlineData("/api/incidents?regionCode=4106%00", "regionCode")]
    [InlineData("/api/alerts?status=raised%00", "status")]
    public async Task A_NUL_in_the_query_is_a_400_naming_the_parameter(string path, string field)
    {
        using var wall = await platform.SignInAsync("wall");
        var problem = await TestKit.ProblemAsync(await wall.GetAsync(path), HttpStatusCode.BadRequest);
        NamesField(problem, field);
    }

    [Fact]
    public async Task A_NUL_in_the_path_is_refused_before_any_handler_runs()
    {
        using var wall = await platform.SignInAsync("wall");
        // Kestrel itself refuses a decoded NUL in the path, with a bare 400: never a handler's 500.
        Assert.Equal(HttpStatusCode.BadRequest, (await wall.GetAsync("/api/regions/4106%00")).StatusCode);
    }

    [Fact]
    public async Task A_NUL_in_an_alert_note_is_a_400_naming_the_note_and_the_audit_keeps_the_refusal()
    {
        var region = await platform.QueryScalarAsync<string>("SELECT code FROM region WHERE level = 'township' AND starts_with(code, '410622') ORDER BY code LIMIT 1");
        var id = await platform.QueryScalarAsync<long>($$"""
            INSERT INTO alert (detector, region_code, grid_codes, level, status, title, summary, window_from, window_to)
            VALUES ('bounds-test', '{{region}}', '{}', 'yellow', 'raised', '测试预警', '输入边界测试', current_date, current_date) RETURNING id
            """);
        using var dispatcher = await platform.SignInAsync("city.dispatcher");
        var mark = await LastAuditIdAsync();

        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/alerts/{id}/transitions")
            { Content = JsonContent.Create(new { action = "acknowledge", note = "已知悉\u0000" }) };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        NamesField(await TestKit.ProblemAsync(await dispatcher.SendAsync(request), HttpStatusCode.BadRequest), "note");

        Assert.Equal(400, await AuditedOutcomeAsync(mark, "POST /api/alerts/%", "city.dispatcher"));
        Assert.Equal("raised", await platform.QueryScalarAsync<string>($"SELECT status FROM alert WHERE id = {id}")); // nothing half-done
    }

    [Theory]
    [InlineData("/api/incidents?page=2147483647")]
    [InlineData("/api/incidents?page=99999999999999999999")]
    [InlineData("/api/incidents?pageSize=2147483647")]
    [InlineData("/api/alerts?page=2147483647")]
    public async Task A_page_number_at_the_edge_of_an_int_is_a_400_not_an_overflow(string path)
    {
        using var wall = await platform.SignInAsync("wall");
        var response = await wall.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var field = path.Contains("pageSize") ? "pageSize" : "page";
        NamesField(await response.Content.ReadFromJsonAsync<JsonElement>(), field);
    }

    [Fact]
    public async Task An_eight_thousand_character_idempotency_key_is_a_400_naming_the_header_and_files_nothing()
    {
        using var dispatcher = await platform.SignInAsync("city.dispatcher");
        var place = await TestKit.PlaceInAsync(platform.Db, "410603", 3);
        var before = await platform.QueryScalarAsync<long>("SELECT count(*) FROM incident");
        var description = $"幂等键边界测试 {Guid.NewGuid():N}";

        foreach (var key in new[] { new string('k', 8000), "a key with spaces", "key\u007f" })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/incidents")
                { Content = JsonContent.Create(TestKit.Report(place, "accident", description)) };
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
            NamesField(await TestKit.ProblemAsync(await dispatcher.SendAsync(request), HttpStatusCode.BadRequest), "Idempotency-Key");
        }
        Assert.Equal(0, await platform.QueryScalarAsync<long>($"SELECT count(*) FROM incident WHERE description = '{description}'"));
        Assert.True(await platform.QueryScalarAsync<long>("SELECT count(*) FROM incident") >= before);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(525_601)]
    [InlineData(0)]
    public async Task A_category_SLA_beyond_a_year_is_refused_and_intake_of_that_category_keeps_working(int minutes)
    {
        var response = await platform.Http.PutAsJsonAsync("/api/categories/accident",
            new { sla = new { acceptMinutes = minutes, arriveMinutes = 60, resolveMinutes = 1440, workingHours = false } });
        NamesField(await TestKit.ProblemAsync(response, HttpStatusCode.BadRequest), "sla");

        Assert.True(await platform.QueryScalarAsync<int>("SELECT accept_minutes FROM category WHERE code = 'accident'") <= 525_600);
        using var dispatcher = await platform.SignInAsync("city.dispatcher");
        await TestKit.ReportAsync(dispatcher, await TestKit.PlaceInAsync(platform.Db, "410603", 4), "accident", "SLA 边界测试后照常上报");
    }

    [Fact]
    public async Task A_number_too_big_for_its_field_is_a_400_naming_the_field()
    {
        var body = new StringContent("""{"sla":{"acceptMinutes":99999999999999999999,"arriveMinutes":60,"resolveMinutes":1440,"workingHours":false}}""",
            Encoding.UTF8, "application/json");
        var response = await platform.Http.PutAsync("/api/categories/accident", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("acceptMinutes", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
