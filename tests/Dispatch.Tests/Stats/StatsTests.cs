using System.Net;
using System.Net.Http.Json;
using Dispatch.Server.Incidents;
using Dispatch.Server.Stats;

namespace Dispatch.Tests.Stats;

/// <summary>
/// The wall's figures over HTTP on the real database: each report, closure and missed deadline
/// moves exactly the counts of the regions it lies in, and nobody else's. Tests of the platform
/// collection run one at a time, so a count's change is this test's own doing.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class StatsTests(PlatformFixture platform)
{
    const string Qibin = "410611";
    const string Xun = "410621";
    readonly TestKit _kit = new(platform);

    async Task<T> GetAsync<T>(string username, string path)
    {
        var response = await (await _kit.ClientAsync(username)).GetAsync(path);
        return await TestKit.ReadAsync<T>(response, HttpStatusCode.OK);
    }

    Task<KpiView> KpisAsync(string username) => GetAsync<KpiView>(username, "/api/stats/kpis");

    [Fact]
    public async Task A_report_counts_today_in_its_district_and_the_city_but_not_in_another_district()
    {
        var (city, qibin, xun) = (await KpisAsync("wall"), await KpisAsync("qibin.dispatcher"), await KpisAsync("xun.dispatcher"));
        await _kit.ReportAsync(await _kit.FreshPlaceAsync(within: Qibin));

        var (city2, qibin2, xun2) = (await KpisAsync("wall"), await KpisAsync("qibin.dispatcher"), await KpisAsync("xun.dispatcher"));
        Assert.Equal((city.ReportedToday + 1, city.Open + 1), (city2.ReportedToday, city2.Open));
        Assert.Equal((qibin.ReportedToday + 1, qibin.Open + 1), (qibin2.ReportedToday, qibin2.Open));
        Assert.Equal((xun.ReportedToday, xun.Open), (xun2.ReportedToday, xun2.Open));
        Assert.Equal((Qibin, "410600"), (qibin2.RegionCode, city2.RegionCode));
        // Days are Beijing days.
        Assert.Equal(TimeSpan.FromHours(8), city2.DayStart.Offset);
        Assert.Equal(TimeSpan.Zero, city2.DayStart.TimeOfDay);
    }

    [Fact]
    public async Task A_closure_counts_as_closed_and_resolved_on_time_and_leaves_the_open_count()
    {
        var before = await KpisAsync("qibin.dispatcher");
        await _kit.BuildAsync(IncidentStatus.Closed, await _kit.FreshPlaceAsync(within: Qibin));

        var after = await KpisAsync("qibin.dispatcher");
        Assert.Equal(before.ClosedToday + 1, after.ClosedToday);
        Assert.Equal(before.ResolvedToday + 1, after.ResolvedToday);
        Assert.Equal(before.Open, after.Open);
        // Resolved within seconds of arriving: on time, so the rate cannot have fallen.
        Assert.NotNull(after.OnTimeRate);
        Assert.True(after.OnTimeRate >= (before.OnTimeRate ?? 0) - 1e-9 || before.ResolvedToday == 0, $"{before.OnTimeRate} → {after.OnTimeRate}");
        Assert.InRange(after.OnTimeRate!.Value, 0, 1);
    }

    [Fact]
    public async Task An_open_incident_past_its_deadline_is_overdue_until_the_work_is_done()
    {
        var before = await KpisAsync("xun.dispatcher");
        var incident = await _kit.BuildAsync(IncidentStatus.Accepted, await _kit.FreshPlaceAsync(within: Xun));
        await _kit.ScalarAsync<int>("WITH u AS (UPDATE incident SET due_at = now() - interval '1 minute' WHERE id = $1 RETURNING 1) SELECT count(*)::int FROM u", incident.Id);

        Assert.Equal(before.Overdue + 1, (await KpisAsync("xun.dispatcher")).Overdue);
        Assert.Equal(before.Overdue + 1, (await GetAsync<BreakdownView>("xun.dispatcher", "/api/stats/breakdown")).Regions.Sum(r => r.Overdue));
        await _kit.StepAsync(incident, "cancel");
        Assert.Equal(before.Overdue, (await KpisAsync("xun.dispatcher")).Overdue);
    }

    [Fact]
    public async Task Trends_have_24_hours_and_7_days_of_buckets_and_a_report_lands_in_the_last_of_each()
    {
        var before = await GetAsync<TrendsView>("city.dispatcher", "/api/stats/trends");
        await _kit.ReportAsync(await _kit.FreshPlaceAsync());
        var after = await GetAsync<TrendsView>("city.dispatcher", "/api/stats/trends");

        Assert.Equal(24, after.Hourly.Count);
        Assert.Equal(7, after.Daily.Count);
        Assert.All(after.Hourly.Zip(after.Hourly.Skip(1)), p => Assert.Equal(TimeSpan.FromHours(1), p.Second.Start - p.First.Start));
        Assert.All(after.Daily, d => Assert.Equal(TimeSpan.Zero, d.Start.TimeOfDay));
        Assert.True(after.Hourly[^1].Start <= after.AsOf && after.AsOf < after.Hourly[^1].Start.AddHours(1));
        // The clock may pass an hour between the two reads: compare totals over the window too.
        Assert.Equal(before.Daily[^1].Reported + 1, after.Daily[^1].Reported);
        if (before.Hourly[^1].Start == after.Hourly[^1].Start)
            Assert.Equal(before.Hourly[^1].Reported + 1, after.Hourly[^1].Reported);
    }

    [Fact]
    public async Task Breakdowns_go_one_level_down_and_count_by_top_level_category()
    {
        var city = await GetAsync<BreakdownView>("wall", "/api/stats/breakdown?days=1");
        Assert.Equal(6, city.Regions.Count);
        Assert.All(city.Regions, r => Assert.Equal("district", r.Level));
        Assert.Contains(city.Regions, r => r.Code == Qibin && r.Name == "淇滨区");
        Assert.Equal(7, city.Categories.Count); // the seven top-level categories, even those with no report

        await _kit.ReportAsync(await _kit.FreshPlaceAsync(within: Qibin), category: "dispute.neighbour");
        var city2 = await GetAsync<BreakdownView>("wall", "/api/stats/breakdown?days=1");
        Assert.Equal(city.Categories.Single(c => c.Code == "dispute").Reported + 1, city2.Categories.Single(c => c.Code == "dispute").Reported);
        Assert.Equal(city.Regions.Single(r => r.Code == Qibin).Reported + 1, city2.Regions.Single(r => r.Code == Qibin).Reported);
        Assert.Equal(city.Regions.Where(r => r.Code != Qibin).Sum(r => r.Reported), city2.Regions.Where(r => r.Code != Qibin).Sum(r => r.Reported));

        var qibin = await GetAsync<BreakdownView>("qibin.dispatcher", "/api/stats/breakdown");
        Assert.NotEmpty(qibin.Regions);
        Assert.All(qibin.Regions, r => Assert.True(r.Level == "township" && r.Code.StartsWith(Qibin), r.Code));
    }

    [Fact]
    public async Task Open_alerts_count_in_their_region_and_above_closed_ones_do_not_notices_apart()
    {
        var (city, xun, qibin) = (await KpisAsync("wall"), await KpisAsync("xun.dispatcher"), await KpisAsync("qibin.dispatcher"));
        var region = await _kit.ScalarAsync<string>("SELECT code FROM region WHERE level = 'township' AND starts_with(code, $1) ORDER BY code LIMIT 1", Xun);
        // A rule's notice (here a made-up 一评 one, tied to no project) counts apart from the alarms.
        foreach (var (detector, status) in new[] { ("stats-test-open", "raised"), ("stats-test-closed", "closed"), ("risk-unassessed", "raised") })
            await _kit.ScalarAsync<long>("""
                INSERT INTO alert (detector, region_code, grid_codes, level, status, title, summary, window_from, window_to)
                VALUES ($1, $2, '{}', 'yellow', $3, '测试预警', '统计测试', current_date, current_date) RETURNING id
                """, detector, region, status);

        Assert.Equal(city.ActiveAlerts + 1, (await KpisAsync("wall")).ActiveAlerts);
        Assert.Equal(xun.ActiveAlerts + 1, (await KpisAsync("xun.dispatcher")).ActiveAlerts);
        Assert.Equal(qibin.ActiveAlerts, (await KpisAsync("qibin.dispatcher")).ActiveAlerts);
        Assert.Equal(city.ActiveNotices + 1, (await KpisAsync("wall")).ActiveNotices);
        Assert.Equal(qibin.ActiveNotices, (await KpisAsync("qibin.dispatcher")).ActiveNotices);
    }

    [Fact]
    public async Task Figures_need_a_sign_in_and_a_sane_period()
    {
        foreach (var path in new[] { "/api/stats/kpis", "/api/stats/trends", "/api/stats/breakdown" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await platform.Anonymous.GetAsync(path)).StatusCode);
        var response = await (await _kit.ClientAsync("wall")).GetAsync("/api/stats/breakdown?days=0");
        await TestKit.ProblemAsync(response, HttpStatusCode.BadRequest);
    }
}
