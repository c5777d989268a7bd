using System.Net;
using System.Net.Http.Json;
using Dispatch.Server.Incidents;
using Xunit.Abstractions;

namespace Dispatch.Tests.Security;

/// <summary>
/// Rights are bounded by area: an incident in 浚县 (410621) does not exist for 淇滨区's dispatcher,
/// a field account sees its own grid and its own assignments, and the wall display writes nothing.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AreaScopingTests(PlatformFixture platform, ITestOutputHelper output)
{
    const string Xun = "410621";
    const string Qibin = "410611";

    /// <summary>A case in 浚县, an accident unless told: its township centre's, which the county pulls up (提级) before acting on it.</summary>
    async Task<IncidentView> ReportInXunAsync(int nth = 0, string category = "accident") =>
        await TestKit.ReportAsync(await platform.SignInAsync("xun.dispatcher"), await TestKit.PlaceInAsync(platform.Db, Xun, nth), category);

    /// <summary>Pulls the case up to the caller's centre, as a superior must before acting on it.</summary>
    static async Task<IncidentView> PullUpAsync(HttpClient client, IncidentView incident, string centre)
    {
        var pulled = await TestKit.StepAsync(client, incident, "pull_up");
        Assert.Equal((incident.Status, centre), (pulled.Status, pulled.CentreCode));
        return pulled;
    }

    [Fact]
    public async Task An_incident_in_xun_county_is_not_found_by_the_qibin_dispatcher_on_any_route()
    {
        var incident = await ReportInXunAsync();
        var xun = await platform.SignInAsync("xun.dispatcher");
        var upload = await xun.PostAsync($"/api/incidents/{incident.Id}/photos", TestKit.Photo());
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var photo = (await upload.Content.ReadFromJsonAsync<PhotoView>(TestKit.Web))!;
        var qibin = await platform.SignInAsync("qibin.dispatcher");

        Assert.Equal(HttpStatusCode.NotFound, (await qibin.GetAsync($"/api/incidents/{incident.Id}")).StatusCode);
        foreach (var action in new[] { "accept", "reject", "escalate", "cancel" })
            Assert.Equal(HttpStatusCode.NotFound, (await TestKit.TakeAsync(qibin, incident, action)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await qibin.GetAsync($"/api/incidents/{incident.Id}/recommendations")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await qibin.PostAsync($"/api/incidents/{incident.Id}/photos", TestKit.Photo())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await qibin.GetAsync($"/api/incidents/{incident.Id}/photos")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await qibin.GetAsync(photo.Url)).StatusCode);

        // Nothing the refused calls tried took effect.
        var after = await xun.GetFromJsonAsync<IncidentView>($"/api/incidents/{incident.Id}", TestKit.Web);
        Assert.Equal((IncidentStatus.Reported, incident.Version), (after!.Status, after.Version));
        Assert.Single(await xun.GetFromJsonAsync<List<PhotoView>>($"/api/incidents/{incident.Id}/photos", TestKit.Web) ?? []);
    }

    [Fact]
    public async Task The_qibin_dispatcher_never_lists_it_whatever_the_filters()
    {
        var incident = await ReportInXunAsync(1);
        var qibin = await platform.SignInAsync("qibin.dispatcher");
        var since = Uri.EscapeDataString(incident.CreatedAt.AddMinutes(-1).ToString("O"));

        foreach (var query in new[]
                 {
                     "", $"regionCode={Xun}", "regionCode=410600", $"regionCode={incident.GridCode}", $"regionCode={incident.TownshipCode}",
                     "status=reported", "categoryCode=accident", $"since={since}", $"regionCode={Xun}&status=reported&categoryCode=accident&since={since}",
                 })
        {
            var items = await TestKit.ListAllAsync(qibin, query);
            Assert.DoesNotContain(items, i => i.Id == incident.Id);
            Assert.All(items, i => Assert.StartsWith(Qibin, i.GridCode));
        }
        var page = await qibin.GetFromJsonAsync<IncidentPage>($"/api/incidents?regionCode={Xun}", TestKit.Web);
        Assert.Equal(0, page!.Total);
    }

    [Theory]
    [InlineData("xun.dispatcher", Xun)]
    [InlineData("city.dispatcher", "410600")]
    public async Task The_county_and_city_dispatchers_see_list_and_staff_it(string username, string centre)
    {
        var incident = await ReportInXunAsync(2);
        var client = await platform.SignInAsync(username);
        var since = Uri.EscapeDataString(incident.CreatedAt.AddSeconds(-1).ToString("O"));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/incidents/{incident.Id}")).StatusCode);
        Assert.Contains(await TestKit.ListAllAsync(client, $"regionCode={Xun}&since={since}"), i => i.Id == incident.Id);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/incidents/{incident.Id}/recommendations")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/incidents/{incident.Id}/photos")).StatusCode);
        await TestKit.StepAsync(client, await PullUpAsync(client, incident, centre), "accept");
    }

    [Fact]
    public async Task A_field_account_sees_its_own_grid_and_its_assignments_and_nothing_else()
    {
        var incident = await ReportInXunAsync(3);
        var xun = await platform.SignInAsync("xun.dispatcher");
        var own = await platform.SignInAsync($"gw-{incident.GridCode}");
        await using var find = platform.Db.CreateCommand("""
            SELECT code FROM staff WHERE kind = 'grid_worker' AND status = 'available' AND starts_with(grid_code, $1)
              AND left(grid_code, 12) <> $2 ORDER BY code DESC LIMIT 1
            """);
        find.Parameters.Add(new() { Value = Xun });
        find.Parameters.Add(new() { Value = incident.VillageCode });
        var otherCode = (string)(await find.ExecuteScalarAsync())!;
        var other = await platform.SignInAsync(otherCode);
        var since = Uri.EscapeDataString(incident.CreatedAt.AddSeconds(-1).ToString("O"));

        // The grid's own worker sees it; a worker of another grid does not.
        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync($"/api/incidents/{incident.Id}")).StatusCode);
        Assert.Contains(await TestKit.ListAllAsync(own, $"since={since}"), i => i.Id == incident.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/incidents/{incident.Id}")).StatusCode);
        Assert.DoesNotContain(await TestKit.ListAllAsync(other), i => i.Id == incident.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/incidents/{incident.Id}/photos")).StatusCode);

        // Once the county has pulled it up and assigned it, the other worker sees it too, and still nothing else outside its grid.
        var dispatched = await TestKit.DispatchToAsync(xun, platform.Db, await PullUpAsync(xun, incident, Xun), otherCode);
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await other.GetAsync($"/api/incidents/{incident.Id}")).StatusCode);
            Assert.Contains(await TestKit.ListAllAsync(other), i => i.Id == incident.Id);
            foreach (var (account, client) in new[] { (otherCode, other), ($"gw-{incident.GridCode}", own) })
            {
                var assigned = await TestKit.AssignedToAsync(platform.Db, account);
                Assert.All(await TestKit.ListAllAsync(client), i =>
                    Assert.True(i.GridCode == account["gw-".Length..] || assigned.Contains(i.Id), $"{account} listed incident {i.Id} in {i.GridCode}"));
            }
        }
        finally
        {
            await TestKit.StepAsync(xun, dispatched, "escalate"); // frees the worker for other tests
        }
    }

    [Theory]
    [InlineData("reject")]
    [InlineData("cancel")]
    public async Task The_county_dispatcher_may_end_an_incident_of_the_county(string action)
    {
        // A criminal case is the county centre's own from the start.
        var incident = await ReportInXunAsync(5, "criminal");
        Assert.Equal(Xun, incident.CentreCode);
        var xun = await platform.SignInAsync("xun.dispatcher");

        var ended = await TestKit.StepAsync(xun, incident, action);

        Assert.Equal(action == "reject" ? IncidentStatus.Rejected : IncidentStatus.Cancelled, ended.Status);
    }

    [Fact]
    public async Task The_wall_is_refused_every_write_route()
    {
        var incident = await ReportInXunAsync(4);
        var wall = await platform.SignInAsync("wall");
        Assert.Equal(HttpStatusCode.OK, (await wall.GetAsync($"/api/incidents/{incident.Id}")).StatusCode);

        var writes = Routes.Enumerate(platform.Services, (e, name) => name switch
            {
                "id" => incident.Id.ToString(),
                "code" => e.RoutePattern.RawText!.Contains("categories") ? "accident" : Xun,
                _ => null,
            })
            .Where(c => c.IsWrite && !IsOwnSession(c) && !c.Pattern.StartsWith("/hubs/", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(writes, c => c.Pattern == "/api/incidents/{id:long}/transitions");

        var wrong = new List<string>();
        foreach (var call in writes)
        {
            var request = new HttpRequestMessage(new HttpMethod(call.Method), call.Path) { Content = call.Body(new { action = "accept" }) };
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{incident.Version}\"");
            var status = (await wall.SendAsync(request)).StatusCode;
            output.WriteLine($"{(int)status} {call.Method,-6} {call.Path}");
            if (status != HttpStatusCode.Forbidden) wrong.Add($"{call} ({call.Path}) answered {(int)status}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        var after = await wall.GetFromJsonAsync<IncidentView>($"/api/incidents/{incident.Id}", TestKit.Web);
        Assert.Equal(incident.Version, after!.Version);
    }

    /// <summary>Signing in and out, the second factor and the password touch only the caller's own account, which a wall may do.</summary>
    static bool IsOwnSession(RouteCall call) => call.Pattern.StartsWith("/api/auth/", StringComparison.Ordinal);
}
