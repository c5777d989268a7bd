using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dispatch.Server.Alerts;
using Dispatch.Server.Live;
using Dispatch.Server.RiskAssessments;
using Dispatch.Tests.Live;

namespace Dispatch.Tests.Assessment;

/// <summary>The rule of 一评 without I/O: what is flagged, and what a write does to the alert.</summary>
public sealed class RiskAssessmentRuleTests
{
    [Theory]
    [InlineData("in_progress", "pending", true)]
    [InlineData("in_progress", "failed", true)]
    [InlineData("completed", "pending", true)]
    [InlineData("completed", "failed", true)]
    [InlineData("in_progress", "passed", false)]
    [InlineData("in_progress", "conditional", false)] // 有条件通过 is 评估合格
    [InlineData("planned", "pending", false)]
    [InlineData("assessing", "failed", false)]
    [InlineData("suspended", "pending", false)]
    public void A_project_carried_out_without_a_passed_assessment_is_flagged(string status, string result, bool flagged) =>
        Assert.Equal(flagged, RiskAssessment.Flagged(status, result));

    [Fact]
    public void Only_becoming_flagged_raises_and_only_ceasing_closes() =>
        Assert.Equal([RiskAssessment.AlertChange.Raise, RiskAssessment.AlertChange.None, RiskAssessment.AlertChange.Close, RiskAssessment.AlertChange.None],
            new[] { (false, true), (true, true), (true, false), (false, false) }.Select(c => RiskAssessment.OnWrite(c.Item1, c.Item2)));

    [Fact]
    public void The_list_has_eleven_kinds_with_distinct_codes() =>
        Assert.Equal(11, RiskKinds.All.Select(k => k.Code).Distinct().Count());

    [Fact]
    public void A_body_names_every_wrong_field()
    {
        var errors = new RiskAssessmentInput("nope", " ", new string('x', 4001), "12", new RiskPosition(200, null), "", "huge", "passed", "done").Errors();
        Assert.Equal(["description", "kindCode", "position", "regionCode", "responsibleUnit", "riskLevel", "status", "title"], errors.Keys.Order());
        Assert.Contains("riskLevel", new RiskAssessmentInput("land_acquisition", "项目", null, "410611", null, "单位", null, "failed", null).Errors().Keys);
        Assert.Empty(new RiskAssessmentInput("land_acquisition", "项目", null, "410611", null, "单位", null, null, null).Errors());
    }

    [Fact]
    public void The_alert_names_the_project_and_the_rule()
    {
        var p = new RiskAssessmentView(7, "land_acquisition", "征地拆迁", "东区棚改", "", "410611002001", "某村", null, null, "区住建局", null, "pending",
            "in_progress", true, null, null, null, "x", DateTimeOffset.Now, DateTimeOffset.Now, 1);
        var (title, summary) = UnassessedAlert.Text(p);
        Assert.Equal("“东区棚改”未经评估即实施", title);
        Assert.Contains("台账编号 7", summary);
        Assert.Contains("未经评估或评估不合格的一律不得实施", summary);
    }
}

/// <summary>The 一评 register (docs/api.md, "Risk assessments") through HTTP, against the real database.</summary>
[Collection(PlatformCollection.Name)]
public sealed class RiskAssessmentTests(PlatformFixture platform)
{
    readonly TestKit _kit = new(platform);

    /// <summary>The last village of 淇滨区 by code: few other tests go there.</summary>
    Task<string> VillageAsync() =>
        platform.QueryScalarAsync<string>("SELECT code FROM region WHERE level = 'village' AND starts_with(code, '410611') ORDER BY code DESC LIMIT 1");

    static object Body(string village, string title, string status = "planned", string result = "pending", string? level = null, object? position = null,
        string description = "") =>
        new { kindCode = "major_construction", title, description, regionCode = village, position, responsibleUnit = "淇滨区住房和城乡建设局", riskLevel = level, result, status };

    static async Task<RiskAssessmentView> PutAsync(HttpClient client, RiskAssessmentView p, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/risk-assessments/{p.Id}") { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", p.ETag);
        return await TestKit.ReadAsync<RiskAssessmentView>(await client.SendAsync(request), expected);
    }

    Task<long> AlertsOfAsync(long project) => platform.QueryScalarAsync<long>($"SELECT count(*) FROM alert WHERE risk_assessment_id = {project}");

    [Fact]
    public async Task A_centre_enters_lists_and_edits_a_project_of_its_area_on_the_version_it_read()
    {
        var village = await VillageAsync();
        var centre = await _kit.ClientAsync("qibin.dispatcher");
        var created = await TestKit.ReadAsync<RiskAssessmentView>(await centre.PostAsJsonAsync("/api/risk-assessments",
            Body(village, "淇滨区城中村改造项目（一期）", description: "涉及 120 户拆迁")), HttpStatusCode.Created);
        Assert.Equal(("planned", "pending", (string?)null, false, 1, "重大工程建设项目"), (created.Status, created.Result, created.RiskLevel, created.Flagged, created.Version, created.KindName));

        var read = await centre.GetAsync($"/api/risk-assessments/{created.Id}");
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
        var listed = await centre.GetFromJsonAsync<RiskAssessmentPage>($"/api/risk-assessments?kind=major_construction&regionCode={village}&status=planned", TestKit.Web);
        Assert.Contains(listed!.Items, p => p.Id == created.Id);
        Assert.DoesNotContain((await centre.GetFromJsonAsync<RiskAssessmentPage>($"/api/risk-assessments?regionCode={village}&flagged=true", TestKit.Web))!.Items,
            p => p.Id == created.Id);
        Assert.Equal(11, (await centre.GetFromJsonAsync<List<RiskKind>>("/api/risk-assessments/kinds", TestKit.Web))!.Count);

        var assessed = await PutAsync(centre, created, Body(village, "淇滨区城中村改造项目（一期）", "assessing", "passed", "medium"));
        Assert.Equal(("passed", "medium", "qibin.dispatcher", 2), (assessed.Result, assessed.RiskLevel, assessed.AssessedBy, assessed.Version));
        Assert.NotNull(assessed.AssessedAt);
        var started = await PutAsync(centre, assessed, Body(village, "淇滨区城中村改造项目（一期）", "in_progress", "passed", "medium"));
        Assert.False(started.Flagged); // passed: may be carried out
        Assert.Null(started.AlertId);

        // The version read before the last write is stale; no version at all is refused too.
        await TestKit.ProblemAsync(await SendPutAsync(centre, created.Id, "\"2\"", Body(village, "改名")), HttpStatusCode.PreconditionFailed);
        await TestKit.ProblemAsync(await SendPutAsync(centre, created.Id, null, Body(village, "改名")), HttpStatusCode.PreconditionRequired);
        Assert.Equal(3, (await centre.GetFromJsonAsync<RiskAssessmentView>($"/api/risk-assessments/{created.Id}", TestKit.Web))!.Version);
        // Every write is in the audit trail.
        Assert.True(await platform.QueryScalarAsync<long>(
            $"SELECT count(*) FROM audit WHERE username = 'qibin.dispatcher' AND action = 'PUT /api/risk-assessments/{{id:long}}' AND target = 'id={created.Id}'") >= 4);
    }

    static Task<HttpResponseMessage> SendPutAsync(HttpClient client, long id, string? ifMatch, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/risk-assessments/{id}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }

    [Fact]
    public async Task A_project_carried_out_without_a_passed_assessment_raises_one_red_alert_live_per_project()
    {
        var village = await VillageAsync();
        await using var live = await LiveClient.SignInAsync(platform.Address, $"dispatcher-{village[..9]}");
        var supervisor = await _kit.ClientAsync("supervisor-410611");
        // At a grid's service point of the village: the alert points at that grid.
        await using var query = platform.Db.CreateCommand(
            $"SELECT code, ST_X(service_point), ST_Y(service_point) FROM grid WHERE village_code = '{village}' ORDER BY code LIMIT 1");
        await using var first = await query.ExecuteReaderAsync();
        Assert.True(await first.ReadAsync());
        var (grid, lon, lat) = (first.GetString(0), first.GetDouble(1), first.GetDouble(2));
        var project = await TestKit.ReadAsync<RiskAssessmentView>(await supervisor.PostAsJsonAsync("/api/risk-assessments",
            Body(village, "物流园区征地项目", position: new { lon, lat })), HttpStatusCode.Created);
        Assert.Null(project.AlertId);

        var carried = await PutAsync(supervisor, project, Body(village, "物流园区征地项目", "in_progress", position: new { lon, lat }));
        Assert.True(carried.Flagged);
        var alertId = Assert.IsType<long>(carried.AlertId);
        var alert = await supervisor.GetFromJsonAsync<AlertView>($"/api/alerts/{alertId}", TestKit.Web);
        Assert.Equal((UnassessedAlert.Detector, "red", village, "raised"), (alert!.Detector, alert.Level, alert.RegionCode, alert.Status));
        // A rule that fired, not a statistical alarm: the notices lane, live as well as listed.
        Assert.Equal("notice", alert.Lane);
        Assert.Equal(grid, Assert.Single(alert.GridCodes));
        Assert.Contains("物流园区征地项目", alert.Title);
        Assert.Contains($"台账编号 {project.Id}", alert.Summary);
        var page = await supervisor.GetFromJsonAsync<AlertPage>($"/api/alerts?regionCode={village}&status=raised&lane=notice", TestKit.Web);
        Assert.Contains(page!.Items, a => a.Id == alertId);
        var alarms = await supervisor.GetFromJsonAsync<AlertPage>($"/api/alerts?regionCode={village}&lane=alarm", TestKit.Web);
        Assert.DoesNotContain(alarms!.Items, a => a.Id == alertId);
        await live.WaitForAsync(r => r.Any(e => e.Type == EventTypes.AlertRaised && e.Data.GetProperty("id").GetInt64() == alertId
                && e.Data.GetProperty("lane").GetString() == "notice"),
            TimeSpan.FromSeconds(15), "alert.raised of the project");
        Assert.Contains((await supervisor.GetFromJsonAsync<RiskAssessmentPage>($"/api/risk-assessments?flagged=true&regionCode={village}", TestKit.Web))!.Items,
            p => p.Id == project.Id);

        // Written again while still flagged: the same alert, no second one.
        var again = await PutAsync(supervisor, carried, Body(village, "物流园区征地项目", "completed", position: new { lon, lat }, description: "已完工"));
        Assert.Equal(alertId, again.AlertId);
        Assert.Equal(1, await AlertsOfAsync(project.Id));
        Assert.Equal(1, await platform.QueryScalarAsync<long>($"SELECT count(*) FROM outbox WHERE type = 'alert.raised' AND (data->>'id')::bigint = {alertId}"));

        // A second flagged project in the same village is a second alert; a passed one raises none.
        var second = await TestKit.ReadAsync<RiskAssessmentView>(await supervisor.PostAsJsonAsync("/api/risk-assessments",
            Body(village, "自来水价格调整", "in_progress", "failed", "high")), HttpStatusCode.Created);
        Assert.True(second.Flagged);
        Assert.NotEqual(alertId, Assert.IsType<long>(second.AlertId));
        Assert.Contains("评估不合格", (await supervisor.GetFromJsonAsync<AlertView>($"/api/alerts/{second.AlertId}", TestKit.Web))!.Title);
        var passed = await TestKit.ReadAsync<RiskAssessmentView>(await supervisor.PostAsJsonAsync("/api/risk-assessments",
            Body(village, "学校改扩建", "in_progress", "conditional", "low")), HttpStatusCode.Created);
        Assert.Equal((false, (long?)null, 0L), (passed.Flagged, passed.AlertId, await AlertsOfAsync(passed.Id)));

        // Assessed and passed afterwards: the platform closes the project's alert, saying why.
        var fixedUp = await PutAsync(supervisor, again, Body(village, "物流园区征地项目", "completed", "passed", "medium", new { lon, lat }));
        Assert.False(fixedUp.Flagged);
        var closed = await supervisor.GetFromJsonAsync<AlertView>($"/api/alerts/{alertId}", TestKit.Web);
        Assert.Equal(("closed", "supervisor-410611"), (closed!.Status, closed.HandledBy));
        Assert.Contains("评估", closed.HandledNote);
        Assert.Equal("raised", (await supervisor.GetFromJsonAsync<AlertView>($"/api/alerts/{second.AlertId}", TestKit.Web))!.Status);
    }

    [Fact]
    public async Task Another_districts_supervisor_neither_reads_nor_writes_it_and_readers_may_not_write()
    {
        var village = await VillageAsync();
        var centre = await _kit.ClientAsync("qibin.dispatcher");
        var project = await TestKit.ReadAsync<RiskAssessmentView>(await centre.PostAsJsonAsync("/api/risk-assessments",
            Body(village, "国企改制方案")), HttpStatusCode.Created);
        var before = await platform.QueryScalarAsync<string>($"SELECT r::text FROM risk_assessment r WHERE id = {project.Id}");
        var count = await platform.QueryScalarAsync<long>("SELECT count(*) FROM risk_assessment");

        var xun = await _kit.ClientAsync("supervisor-410621");
        await TestKit.ProblemAsync(await xun.GetAsync($"/api/risk-assessments/{project.Id}"), HttpStatusCode.NotFound);
        Assert.DoesNotContain((await xun.GetFromJsonAsync<RiskAssessmentPage>("/api/risk-assessments?pageSize=200", TestKit.Web))!.Items, p => p.Id == project.Id);
        await TestKit.ProblemAsync(await xun.GetAsync($"/api/risk-assessments?regionCode={village}"), HttpStatusCode.NotFound);
        await TestKit.ProblemAsync(await SendPutAsync(xun, project.Id, project.ETag, Body("410621", "国企改制方案", "in_progress")), HttpStatusCode.NotFound);
        // Nor may they put one into another district, nor move their own there.
        await TestKit.ProblemAsync(await xun.PostAsJsonAsync("/api/risk-assessments", Body(village, "越界项目", "in_progress")), HttpStatusCode.NotFound);
        await TestKit.ProblemAsync(await SendPutAsync(centre, project.Id, project.ETag, Body("410621", "国企改制方案")), HttpStatusCode.NotFound);

        // Auditors and walls read the register; they do not write it.
        var auditor = await _kit.ClientAsync("auditor");
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/risk-assessments/{project.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsJsonAsync("/api/risk-assessments", Body(village, "x"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendPutAsync(await _kit.ClientAsync("wall"), project.Id, project.ETag, Body(village, "x"))).StatusCode);

        Assert.Equal(before, await platform.QueryScalarAsync<string>($"SELECT r::text FROM risk_assessment r WHERE id = {project.Id}"));
        Assert.Equal(count, await platform.QueryScalarAsync<long>("SELECT count(*) FROM risk_assessment"));
        Assert.Equal(0, await AlertsOfAsync(project.Id));
    }

    [Fact]
    public async Task Bad_bodies_are_refused_naming_the_field_and_write_nothing()
    {
        var village = await VillageAsync();
        var centre = await _kit.ClientAsync("qibin.dispatcher");
        var count = await platform.QueryScalarAsync<long>("SELECT count(*) FROM risk_assessment");
        async Task<string[]> FieldsAsync(string json)
        {
            var problem = await TestKit.ProblemAsync(await centre.PostAsync("/api/risk-assessments", new StringContent(json, Encoding.UTF8, "application/json")),
                HttpStatusCode.BadRequest);
            return [.. problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order()];
        }
        Assert.Equal(["kindCode", "regionCode", "result", "status", "title"],
            await FieldsAsync("""{"kindCode":"x","title":"","regionCode":"4106","responsibleUnit":"单位","result":"maybe","status":"started"}"""));
        Assert.Equal(["riskLevel"], await FieldsAsync(JsonSerializer.Serialize(Body(village, "项目", "planned", "passed"))));
        Assert.Equal(["title"], await FieldsAsync(JsonSerializer.Serialize(Body(village, new string('长', 201)))));
        Assert.Equal(["title"], await FieldsAsync(JsonSerializer.Serialize(Body(village, "a\u0000b"))));
        Assert.Equal(["regionCode"], await FieldsAsync(JsonSerializer.Serialize(Body("410611999999", "项目"))));
        Assert.Equal(["position"], await FieldsAsync(JsonSerializer.Serialize(Body(village, "项目", position: new { lon = 100.0, lat = 20.0 }))));
        Assert.Equal(["kindCode", "regionCode", "responsibleUnit", "title"], await FieldsAsync("{}"));
        Assert.Equal(count, await platform.QueryScalarAsync<long>("SELECT count(*) FROM risk_assessment"));
        await TestKit.ProblemAsync(await centre.GetAsync("/api/risk-assessments?status=nope"), HttpStatusCode.BadRequest);
    }
}
