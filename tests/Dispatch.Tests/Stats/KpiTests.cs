using System.Net;
using System.Net.Http.Json;
using Dispatch.Server.Kpis;

namespace Dispatch.Tests.Stats;

/// <summary>
/// 考核 figures (docs/api.md, "KPIs") against a hand count: a fixture of cases with known outcomes,
/// written as rows stamped in October 2024 — a month that spans the National Day holiday and that
/// no other test writes into — then read back over HTTP for a village, its township and the city,
/// ranked, and drilled down case by case.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class KpiTests(PlatformFixture platform) : IAsyncLifetime
{
    readonly TestKit _kit = new(platform);
    const string From = "2024-10-01", To = "2024-10-31";

    // Written once for the class (xunit makes an instance per test): the platform is shared, so is the fixture.
    static readonly SemaphoreSlim Once = new(1, 1);
    static string _village = "", _neighbour = "", _township = "", _district = "";
    static long _b, _c;

    static DateTimeOffset Bj(string local) => DateTimeOffset.Parse(local + "+08:00");

    public async Task InitializeAsync()
    {
        await Once.WaitAsync();
        try { if (_village == "") await WriteFixtureAsync(); }
        finally { Once.Release(); }
    }

    async Task WriteFixtureAsync()
    {
        var place = await _kit.FreshPlaceAsync();
        _village = place.GridCode[..12];
        _township = place.GridCode[..9];
        _district = place.GridCode[..6];
        var neighbourGrid = await _kit.ScalarAsync<string>(
            "SELECT code FROM grid WHERE starts_with(code, $1) AND village_code <> $2 ORDER BY code LIMIT 1", _township, _village);
        _neighbour = neighbourGrid[..12];
        var farGrid = await _kit.ScalarAsync<string>("SELECT code FROM grid WHERE NOT starts_with(code, $1) ORDER BY code LIMIT 1", _district);

        // A: reported before the month, accepted in it, on time.
        var a = await IncidentAsync(place.GridCode, "2024-09-30T23:00:00", "accepted", null);
        await StepAsync(a, "accept", "reported", "accepted", "2024-10-01T00:10:00", "2024-10-01T00:30:00");
        // B: accepted on time, on scene after 60 min, resolved late, reworked, resolved again on time; closed.
        _b = await IncidentAsync(place.GridCode, "2024-10-03T10:00:00", "closed", null);
        await StepAsync(_b, "accept", "reported", "accepted", "2024-10-03T10:20:00", "2024-10-03T10:30:00");
        await StepAsync(_b, "arrive", "acknowledged", "on_scene", "2024-10-03T11:00:00", "2024-10-03T11:30:00");
        await StepAsync(_b, "resolve", "on_scene", "resolved", "2024-10-03T13:00:00", "2024-10-03T12:00:00");
        await StepAsync(_b, "rework", "resolved", "on_scene", "2024-10-03T14:00:00", null);
        await StepAsync(_b, "resolve", "on_scene", "resolved", "2024-10-03T15:00:00", "2024-10-03T16:00:00");
        // C: accepted late, on scene after 60 min, still on scene past its resolve deadline.
        _c = await IncidentAsync(place.GridCode, "2024-10-05T09:00:00", "on_scene", "2024-10-06T10:00:00");
        await StepAsync(_c, "accept", "reported", "accepted", "2024-10-05T09:40:00", "2024-10-05T09:30:00");
        await StepAsync(_c, "arrive", "acknowledged", "on_scene", "2024-10-05T10:00:00", "2024-10-05T12:00:00");
        // D: reported on the last evening, accepted after the month.
        var d = await IncidentAsync(place.GridCode, "2024-10-31T23:30:00", "accepted", null);
        await StepAsync(d, "accept", "reported", "accepted", "2024-11-01T00:10:00", "2024-11-01T00:30:00");
        // G: accepted with no deadline on record (a step from before deadlines were kept): counted, not judged.
        var g = await IncidentAsync(place.GridCode, "2024-10-20T09:00:00", "accepted", null);
        await StepAsync(g, "accept", "reported", "accepted", "2024-10-20T09:10:00", null);
        // E, in the neighbouring village: accepted on time, put under 督办 and done a day late, escalated.
        var e = await IncidentAsync(neighbourGrid, "2024-10-10T08:00:00", "escalated", null);
        await StepAsync(e, "accept", "reported", "accepted", "2024-10-10T08:05:00", "2024-10-10T08:30:00");
        await Exec($"""
            INSERT INTO supervision_order (incident_id, ordered_by, ordered_at, centre_code, due_by, note, status, done_at)
            VALUES ({e}, 'supervisor', '{Bj("2024-10-11T09:00:00"):O}', '{_neighbour}', '{Bj("2024-10-12T09:00:00"):O}', '限期办结', 'done', '{Bj("2024-10-13T09:00:00"):O}');
            INSERT INTO escalation (incident_id, cause, from_centre, to_centre, reason, by_user, at)
            VALUES ({e}, 'by_hand', '{_neighbour}', '{_township}', '村级无法解决', 'fixture', '{Bj("2024-10-11T10:00:00"):O}');
            """);
        // 满意度回访 recorded in the month: B's reporter satisfied, then unreachable after a second closure; E's not satisfied.
        await Exec($"""
            INSERT INTO incident_event (incident_id, actor, action, from_status, to_status, at) VALUES
                ({_b}, 'fixture', 'close', 'verified', 'closed', '{Bj("2024-10-03T16:00:00"):O}'),
                ({_b}, 'fixture', 'close', 'verified', 'closed', '{Bj("2024-10-08T16:00:00"):O}'),
                ({e}, 'fixture', 'close', 'verified', 'closed', '{Bj("2024-10-12T16:00:00"):O}');
            INSERT INTO follow_up (incident_id, closing_event, due_on, centre_code, status, result, done_by, done_at)
            SELECT x.incident_id, x.id, '2024-10-09', 'fixture', 'done', r.result, 'fixture', r.at::timestamptz
            FROM (SELECT id, incident_id, row_number() OVER (ORDER BY id) AS n FROM incident_event
                  WHERE action = 'close' AND actor = 'fixture' AND incident_id IN ({_b}, {e})) x
            JOIN (VALUES (1, 'satisfied', '{Bj("2024-10-04T10:00:00"):O}'), (2, 'unreachable', '{Bj("2024-10-09T10:00:00"):O}'),
                         (3, 'unsatisfied', '{Bj("2024-10-13T10:00:00"):O}')) r (n, result, at) ON r.n = x.n;
            """);
        // F, in another district: handed down once.
        var f = await IncidentAsync(farGrid, "2024-10-15T08:00:00", "accepted", null);
        await Exec($"""
            INSERT INTO hand_down (incident_id, from_centre, to_centre, instructions, deadline, created_by, created_at)
            VALUES ({f}, '{farGrid[..9]}', '{farGrid[..12]}', '交办', '{Bj("2024-10-20T09:00:00"):O}', 'fixture', '{Bj("2024-10-16T09:00:00"):O}');
            """);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    async Task<long> IncidentAsync(string grid, string created, string status, string? due) => await _kit.ScalarAsync<long>($"""
        INSERT INTO incident (status, category_code, priority, description, location, grid_code, village_code, township_code, district_code,
                              source, created_by, created_at, updated_at, due_at, centre_code, level)
        SELECT '{status}', 'safety', 2, '考核测试', g.service_point, g.code, g.village_code, left(g.code, 9), left(g.code, 6),
               'hotline', 'kpi-fixture', '{Bj(created):O}', '{Bj(created):O}', {(due is null ? "NULL" : $"'{Bj(due):O}'")}, g.village_code, 'village'
        FROM grid g WHERE g.code = $1 RETURNING id
        """, grid);

    Task StepAsync(long incident, string action, string from, string to, string at, string? due) => Exec($"""
        INSERT INTO incident_event (incident_id, actor, action, from_status, to_status, at, due_at)
        VALUES ({incident}, 'fixture', '{action}', '{from}', '{to}', '{Bj(at):O}', {(due is null ? "NULL" : $"'{Bj(due):O}'")})
        """);

    async Task Exec(string sql)
    {
        await using var cmd = platform.Db.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    async Task<KpiReport> ReportAsync(string region) =>
        (await platform.Http.GetFromJsonAsync<KpiReport>($"/api/kpis?from={From}&to={To}&regionCode={region}", TestKit.Web))!;

    [Fact]
    public async Task The_village_figures_equal_the_hand_count()
    {
        var village = (await ReportAsync(_township)).Children.Single(c => c.Code == _village).Figures;
        Assert.Equal(4, village.Reported);                                             // B, C, D, G
        Assert.Equal((4L, 3L, 2L, 0.6667), (village.Accepted, village.AcceptJudged, village.AcceptedOnTime, village.AcceptOnTimeRate));
        Assert.Equal((2L, 2L, 1L, 0.5), (village.Resolved, village.ResolveJudged, village.ResolvedOnTime, village.ResolveOnTimeRate));
        Assert.Equal((3L, 1L, 0.3333), (village.Due, village.DueMet, village.DueRate));    // B late, B met, C still on scene
        Assert.Equal((1L, 0.5), (village.Reworks, village.ReworkRate));
        Assert.Equal((60.0, 60.0), (village.ResponseMedianMinutes, village.ResponseP90Minutes));
        Assert.Equal((180.0, 180.0), (village.ResolutionMedianMinutes, village.ResolutionP90Minutes)); // the first resolution only
        Assert.Equal((0L, 0L, 0L), (village.Supervised, village.Escalations, village.HandDowns));
        Assert.Equal((1L, 1L, 1.0), (village.FollowUpsAnswered, village.FollowUpsSatisfied, village.SatisfactionRate)); // the unreachable call is no answer
        Assert.Equal(village, (await ReportAsync(_village)).Figures);
    }

    [Fact]
    public async Task The_township_and_the_city_add_their_other_cases()
    {
        var township = (await ReportAsync(_township)).Figures;
        Assert.Equal((5L, 5L, 4L, 3L, 0.75), (township.Reported, township.Accepted, township.AcceptJudged, township.AcceptedOnTime, township.AcceptOnTimeRate));
        Assert.Equal((1L, 1L, 1L, 0L), (township.Supervised, township.SupervisedLate, township.Escalations, township.HandDowns));
        Assert.Equal((2L, 1L, 0.5), (township.FollowUpsAnswered, township.FollowUpsSatisfied, township.SatisfactionRate));

        var city = await ReportAsync("410600");
        Assert.Equal((6L, 1L), (city.Figures.Reported, city.Figures.HandDowns));
        Assert.Equal(city.Figures.Reported, city.Children.Sum(c => c.Figures.Reported));
        Assert.Equal(5, city.Children.Single(c => c.Code == _district).Figures.Reported);
    }

    [Fact]
    public async Task Villages_rank_by_the_chosen_figure_and_regions_with_nothing_to_judge_are_unranked()
    {
        var ranking = (await platform.Http.GetFromJsonAsync<Ranking>(
            $"/api/kpis/ranking?level=village&metric=acceptOnTimeRate&from={From}&to={To}&regionCode={_township}", TestKit.Web))!;
        Assert.Equal((1, _neighbour, 1.0), (ranking.Regions[0].Rank!.Value, ranking.Regions[0].Code, ranking.Regions[0].Value!.Value));
        Assert.Equal((2, _village, 0.6667), (ranking.Regions[1].Rank!.Value, ranking.Regions[1].Code, ranking.Regions[1].Value!.Value));
        Assert.All(ranking.Regions.Skip(2), r => Assert.Null(r.Rank));
        Assert.True(ranking.Regions.Count > 2, "every village of the township is listed");
    }

    [Theory]
    [InlineData("reported", 4)]
    [InlineData("accepted", 4)]
    [InlineData("acceptedLate", 1)]
    [InlineData("resolved", 2)]
    [InlineData("resolvedLate", 1)]
    [InlineData("dueMissed", 2)]
    [InlineData("reworks", 1)]
    [InlineData("supervised", 0)]
    public async Task Every_figure_drills_down_to_its_cases(string figure, int count)
    {
        var rows = (await platform.Http.GetFromJsonAsync<List<KpiIncident>>(
            $"/api/kpis/incidents?figure={figure}&from={From}&to={To}&regionCode={_village}", TestKit.Web))!;
        Assert.Equal(count, rows.Count);
        if (figure == "dueMissed") Assert.Equal([_b, _c], rows.Select(r => r.Id).Order());
        if (figure == "acceptedLate") Assert.Equal(_c, Assert.Single(rows).Id);
    }

    [Fact]
    public async Task The_Excel_export_holds_the_same_figures_as_the_API()
    {
        var response = await platform.Http.GetAsync($"/api/exports/kpis.xlsx?from={From}&to={To}&regionCode={_township}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        using var book = new ClosedXML.Excel.XLWorkbook(await response.Content.ReadAsStreamAsync());
        Assert.Equal(["汇总", "下级区域", "综治中心"], book.Worksheets.Select(w => w.Name));
        var report = await ReportAsync(_township);
        var centres = (await platform.Http.GetFromJsonAsync<List<CentreFigures>>($"/api/kpis/centres?from={From}&to={To}&regionCode={_township}", TestKit.Web))!;
        var rows = book.Worksheets.Select(w => w.RangeUsed()!.RowCount() - 1).ToList();
        Assert.Equal([1, report.Children.Count, centres.Count], rows);
        var children = book.Worksheet("下级区域");
        Assert.Equal(["代码", "名称", "上报", "受理", "按时受理", "受理及时率"], children.Row(1).Cells(1, 6).Select(c => c.GetString()));
        var village = children.RowsUsed().Single(r => r.Cell(1).GetString() == _village);
        Assert.Equal((4.0, 0.6667), (village.Cell(3).GetDouble(), village.Cell(6).GetDouble()));
        Assert.Equal(5.0, book.Worksheet("汇总").Cell(2, 3).GetDouble());
    }

    [Fact]
    public async Task The_incident_export_masks_the_reporter_for_those_who_do_not_handle_cases()
    {
        var place = await _kit.FreshPlaceAsync();
        var dispatcher = await _kit.ClientAsync(TestKit.Dispatcher);
        await TestKit.ReportAsync(dispatcher, place, "safety", "导出测试：楼道堆放易燃物。", "王建国", "13912345678");
        var query = $"regionCode={place.GridCode[..12]}";

        var full = await (await (await _kit.ClientAsync("supervisor")).GetAsync($"/api/exports/incidents.csv?{query}")).Content.ReadAsStringAsync();
        var lines = full.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("编号,上报时间,类别", lines[0]);
        // The village is this test's own, but another test's report may land in it too: read our row by its text.
        var ours = Assert.Single(lines, l => l.Contains("导出测试", StringComparison.Ordinal));
        Assert.Contains("王建国", ours);
        Assert.Contains("13912345678", ours);

        var auditor = await _kit.ClientAsync("auditor");
        var masked = await (await auditor.GetAsync($"/api/exports/incidents.csv?{query}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("13912345678", masked);
        Assert.Contains("139****5678", masked);
        using var book = new ClosedXML.Excel.XLWorkbook(await (await auditor.GetAsync($"/api/exports/incidents.xlsx?{query}")).Content.ReadAsStreamAsync());
        var sheet = book.Worksheet("事件");
        Assert.Equal(lines.Length, sheet.RangeUsed()!.RowCount()); // the same rows as the CSV
        var row = sheet.RowsUsed().Single(r => r.CellsUsed().Any(c => c.GetString().Contains("导出测试", StringComparison.Ordinal)));
        Assert.Equal("139****5678", row.Cell(15).GetString());
    }

    [Fact]
    public async Task The_monthly_briefing_holds_the_months_figures_as_JSON_as_a_page_and_as_a_PDF_printed_by_Chromium()
    {
        var query = $"period=month&at=2024-10-15&regionCode={_township}";
        var briefing = (await platform.Http.GetFromJsonAsync<Dispatch.Server.Briefings.BriefingView>($"/api/briefings?{query}", TestKit.Web))!;
        Assert.Equal((new DateOnly(2024, 10, 1), new DateOnly(2024, 10, 31)), (briefing.From, briefing.To));
        Assert.Equal((await ReportAsync(_township)).Figures, briefing.Figures);
        Assert.Equal(31, briefing.Days.Count);
        Assert.Equal(5, briefing.Days.Sum(d => d.Reported));
        // This month's briefing runs to today, not to the month's end.
        var current = (await platform.Http.GetFromJsonAsync<Dispatch.Server.Briefings.BriefingView>($"/api/briefings?period=month&regionCode={_township}", TestKit.Web))!;
        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).Day, current.Days.Count);
        Assert.Equal(_village, briefing.HotSpots[0].Code); // four of the township's five

        var page = await platform.Http.GetStringAsync($"/api/briefings/page?{query}");
        Assert.Contains("月度研判简报", page);
        Assert.Contains("<svg", page);

        var response = await platform.Http.GetAsync($"/api/briefings/pdf?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        // NFKC: the CJK font's glyph names map some characters to their Kangxi radical twins (⼭ for 山).
        var text = string.Concat(pdf.GetPages().Select(p => p.Text)).Normalize(System.Text.NormalizationForm.FormKC);
        Assert.Contains(briefing.RegionName, text);
        Assert.Contains("按期办结率", text);
        Assert.Contains("75.0%", text);   // the township's on-time acceptance, 3 of 4
        Assert.Contains("33.3%", text);   // its 按期办结率: one of three deadlines met
    }

    [Fact]
    public async Task A_step_taken_through_the_API_keeps_the_deadline_it_was_judged_against()
    {
        var reported = await _kit.ReportAsync(await _kit.FreshPlaceAsync());
        var accepted = await _kit.StepAsync(reported, "accept");
        var kept = await _kit.ScalarAsync<DateTime>("SELECT due_at FROM incident_event WHERE incident_id = $1 AND action = 'accept'", reported.Id);
        Assert.Equal(reported.DueAt!.Value.UtcDateTime, kept.ToUniversalTime(), TimeSpan.FromMilliseconds(1));
        Assert.NotEqual(reported.DueAt, accepted.DueAt); // the incident moved on to the arrival clock; the step kept the accept deadline
    }

    [Fact]
    public async Task A_centre_reads_only_its_own_area_and_bad_periods_name_their_field()
    {
        var outsider = await _kit.ClientAsync($"dispatcher-{await _kit.ScalarAsync<string>("SELECT code FROM region WHERE level = 'township' AND NOT starts_with(code, $1) ORDER BY code LIMIT 1", _district)}");
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync($"/api/kpis?regionCode={_village}")).StatusCode);
        var own = await _kit.ClientAsync($"dispatcher-{_village}");
        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync($"/api/kpis?from={From}&to={To}")).StatusCode);
        foreach (var (query, field) in new[] { ("from=2024-13-01", "from"), ("from=2024-10-31&to=2024-10-01", "to"), ("from=2023-01-01&to=2024-12-31", "to"),
                     ("regionCode=abc", "regionCode") })
        {
            var problem = await TestKit.ProblemAsync(await own.GetAsync($"/api/kpis?{query}"), HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{query}: {problem}");
        }
        await TestKit.ProblemAsync(await own.GetAsync($"/api/kpis/incidents?figure=nonsense"), HttpStatusCode.BadRequest);
        await TestKit.ProblemAsync(await platform.Http.GetAsync($"/api/kpis/ranking?metric=height&regionCode={_township}"), HttpStatusCode.BadRequest);
        var phone = await _kit.ClientAsync($"gw-{(await _kit.FreshPlaceAsync()).GridCode}");
        Assert.Equal(HttpStatusCode.Forbidden, (await phone.GetAsync("/api/kpis")).StatusCode);
    }
}
