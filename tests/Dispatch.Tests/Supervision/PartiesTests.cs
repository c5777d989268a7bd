using System.Net;
using System.Net.Http.Json;
using Dispatch.Server.Incidents;

namespace Dispatch.Tests.Supervision;

/// <summary>
/// 当事人 (docs/api.md, "Parties"): sealed like reporters, linked by keyed hashes — a second case
/// between the same parties links to the first and climbs to the township, and a 民转刑 series of
/// theirs raises its alert in the scoring run.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PartiesTests(PlatformFixture platform)
{
    readonly TestKit _kit = new(platform);

    static string Mobile() => $"139{Random.Shared.Next(10_000_000, 99_999_999)}";

    async Task<IncidentView> ReportAsync(Place place, string category, string description, object[] parties, int? priority = null)
    {
        var city = await _kit.ClientAsync(TestKit.Dispatcher);
        var response = await city.PostAsJsonAsync("/api/incidents",
            new { categoryCode = category, description, lon = place.Lon, lat = place.Lat, priority, source = "hotline", parties });
        return await TestKit.ReadAsync<IncidentView>(response, HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_second_case_between_the_same_parties_links_to_the_first_and_climbs_to_the_township()
    {
        var (zhang, li) = (Mobile(), Mobile());
        var first = await ReportAsync(await _kit.FreshPlaceAsync(), "dispute.neighbour", "张某与李某因楼道堆放杂物发生争吵。",
            [new { role = "applicant", name = "张建国", phone = zhang }, new { role = "respondent", name = "李卫东", phone = li }]);
        Assert.Equal(IncidentStatus.Reported, first.Status);

        // A week later, elsewhere, one of them again — written with a +86 and spaces this time.
        var second = await ReportAsync(await _kit.FreshPlaceAsync(), "dispute.neighbour", "李某与邻居再次因杂物问题发生推搡。",
            [new { role = "applicant", name = "李卫东", phone = $"+86 {li[..3]} {li[3..7]} {li[7..]}" }]);
        Assert.Equal(IncidentStatus.Escalated, second.Status);
        Assert.Equal(second.TownshipCode, second.CentreCode);
        Assert.Contains($"#{first.Id}", second.Timeline[^1].Note);
        var parties = await (await _kit.ClientAsync(TestKit.Dispatcher)).GetFromJsonAsync<IncidentParties>($"/api/incidents/{second.Id}/parties", TestKit.Web);
        Assert.Equal(first.Id, parties!.LinkedTo);
        Assert.Equal(li, Assert.Single(parties.Parties).Phone);

        // The wall sees the parties masked; the database never holds them in clear.
        var wall = await (await _kit.ClientAsync("wall")).GetFromJsonAsync<IncidentParties>($"/api/incidents/{second.Id}/parties", TestKit.Web);
        Assert.Equal("李**", Assert.Single(wall!.Parties).Name);
        Assert.DoesNotContain(li, wall.Parties[0].Phone);
        Assert.Equal(0L, await _kit.ScalarAsync<long>(
            "SELECT count(*) FROM incident_party WHERE position(convert_to($1, 'UTF8') IN name) > 0 " +
            "OR position(convert_to($2, 'UTF8') IN coalesce(phone, ''::bytea)) > 0 OR $2 = ANY (link_keys)", "李卫东", li));
    }

    [Fact]
    public async Task Bad_parties_are_named_field_by_field_and_nothing_is_filed()
    {
        var city = await _kit.ClientAsync(TestKit.Dispatcher);
        var place = await _kit.FreshPlaceAsync();
        var before = await _kit.ScalarAsync<long>("SELECT count(*) FROM incident");
        var response = await city.PostAsJsonAsync("/api/incidents", new
        {
            categoryCode = "dispute.family", description = "家庭纠纷", lon = place.Lon, lat = place.Lat,
            parties = new object[] { new { role = "judge", name = "王五", phone = "12345" }, new { role = "other", name = "", idNumber = "41060219900101123" } },
        });
        var errors = (await TestKit.ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order();
        Assert.Equal(["parties[0].phone", "parties[0].role", "parties[1].idNumber", "parties[1].name"], errors);
        Assert.Equal(before, await _kit.ScalarAsync<long>("SELECT count(*) FROM incident"));
    }

    [Fact]
    public async Task A_quarrel_that_comes_back_as_a_fight_and_then_an_assault_raises_a_min_zhuan_xing_alert()
    {
        var (wang, zhao) = (Mobile(), Mobile());
        object[] Both() => [new { role = "applicant", name = "王有才", phone = wang }, new { role = "respondent", name = "赵二虎", phone = zhao }];
        var quarrel = await ReportAsync(await _kit.FreshPlaceAsync(), "dispute.neighbour", "王某与赵某因排水沟问题争吵。", Both());
        var fight = await ReportAsync(await _kit.FreshPlaceAsync(), "order", "王某与赵某再次发生肢体冲突。", Both());
        var assault = await ReportAsync(await _kit.FreshPlaceAsync(), "criminal", "赵某持械将王某打伤。", Both());

        var score = await (await _kit.ClientAsync(TestKit.Dispatcher)).PostAsync("/api/alerts/score", null);
        Assert.Equal(HttpStatusCode.OK, score.StatusCode);
        var summary = await _kit.ScalarAsync<string>(
            "SELECT summary FROM alert WHERE detector = 'escalating-dispute' AND level = 'red' AND summary LIKE '%#' || $1 || '%' ORDER BY id DESC LIMIT 1",
            assault.Id.ToString());
        Assert.Contains($"{quarrel.Id}、{fight.Id}、{assault.Id}", summary);
    }
}
