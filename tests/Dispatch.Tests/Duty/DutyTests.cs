using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Duty;
using Dispatch.Server.Incidents;

namespace Dispatch.Tests.Duty;

/// <summary>
/// 排班 (docs/api.md, "Duty"): the roster and the phone's duty switch decide who is on duty, and
/// recommendations never offer anyone who is not — checked against the roster the centre keeps.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DutyTests(PlatformFixture platform)
{
    readonly TestKit _kit = new(platform);

    [Fact]
    public async Task An_off_duty_worker_is_never_recommended_by_the_roster_or_by_their_switch()
    {
        var place = await _kit.FreshPlaceAsync(within: "410611");
        var worker = $"gw-{place.GridCode}";
        var incident = await _kit.BuildAsync(IncidentStatus.Accepted, place);
        var qibin = await _kit.ClientAsync("qibin.dispatcher");
        Assert.Equal(worker, await RecommendedWorkerAsync(incident.Id)); // positive control: the grid's own worker, nearest

        // On the roster, but their shift is tomorrow: off duty now, not offered at all.
        var now = DateTimeOffset.UtcNow;
        var tomorrow = await AddShiftAsync(qibin, worker, now.AddHours(20), now.AddHours(28));
        Assert.DoesNotContain(worker, await OfferedAsync(incident.Id));
        Assert.False((await DutyOfAsync(qibin, worker)).OnDuty);
        Assert.Equal("roster", (await DutyOfAsync(qibin, worker)).Source);

        // A shift now puts them back.
        var today = await AddShiftAsync(qibin, worker, now.AddHours(-1), now.AddHours(3));
        Assert.Equal(worker, await RecommendedWorkerAsync(incident.Id));
        var duty = await DutyOfAsync(qibin, worker);
        Assert.True(duty.OnDuty);
        Assert.Equal(today.EndsAt, duty.ShiftEndsAt);

        // The phone's switch: off is off, even inside the shift; on again is on.
        var phone = await _kit.ClientAsync(worker);
        var off = await (await phone.PutAsJsonAsync("/api/duty/me", new { onDuty = false })).Content.ReadFromJsonAsync<DutyState>(TestKit.Web);
        Assert.False(off!.OnDuty);
        Assert.Equal("switch", off.Source);
        Assert.DoesNotContain(worker, await OfferedAsync(incident.Id));
        Assert.DoesNotContain((await (await _kit.ClientAsync(TestKit.Dispatcher)).GetFromJsonAsync<DutyBoard>(
            $"/api/duty?regionCode={place.GridCode[..9]}", TestKit.Web))!.Staff, s => s.Code == worker);
        Assert.True((await (await phone.PutAsJsonAsync("/api/duty/me", new { onDuty = true })).Content.ReadFromJsonAsync<DutyState>(TestKit.Web))!.OnDuty);
        Assert.Equal(worker, await RecommendedWorkerAsync(incident.Id));

        foreach (var shift in new[] { tomorrow, today })
            Assert.Equal(HttpStatusCode.NoContent, (await qibin.DeleteAsync($"/api/duty/shifts/{shift.Id}")).StatusCode);
    }

    [Fact]
    public async Task Bad_rows_of_a_roster_are_each_named_and_nothing_is_written()
    {
        var qibin = await _kit.ClientAsync("qibin.dispatcher");
        var own = $"gw-{(await _kit.FreshPlaceAsync(within: "410611")).GridCode}";
        var other = $"gw-{(await _kit.FreshPlaceAsync(within: "410621")).GridCode}";
        var at = DateTimeOffset.UtcNow.AddDays(2);
        var response = await qibin.PostAsJsonAsync("/api/duty/shifts", new
        {
            shifts = new object[]
            {
                new { staffCode = own, startsAt = at, endsAt = at.AddHours(8) },
                new { staffCode = other, startsAt = at, endsAt = at.AddHours(8) },              // 浚县's worker
                new { staffCode = own, startsAt = at.AddHours(4), endsAt = at.AddHours(12) },   // overlaps the first
                new { staffCode = own, startsAt = at.AddDays(1), endsAt = at.AddDays(2).AddHours(1) }, // 25 hours
                new { staffCode = "gw-nobody", startsAt = at, endsAt = at.AddHours(1) },
            },
        });
        var problem = await TestKit.ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ToArray();
        Assert.Equal(["shifts[1].staffCode", "shifts[2]", "shifts[3].endsAt", "shifts[4].staffCode"], errors);
        Assert.Empty(await qibin.GetFromJsonAsync<List<ShiftView>>($"/api/duty/shifts?staffCode={own}&from={Uri.EscapeDataString(at.AddDays(-1).ToString("O"))}&to={Uri.EscapeDataString(at.AddDays(3).ToString("O"))}", TestKit.Web) ?? []);

        // Another district's shifts cannot be removed either.
        var xun = await _kit.ClientAsync("xun.dispatcher");
        var theirs = await AddShiftAsync(xun, other, at, at.AddHours(8));
        Assert.Equal(HttpStatusCode.NotFound, (await qibin.DeleteAsync($"/api/duty/shifts/{theirs.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await xun.DeleteAsync($"/api/duty/shifts/{theirs.Id}")).StatusCode);
    }

    static async Task<ShiftView> AddShiftAsync(HttpClient client, string staffCode, DateTimeOffset startsAt, DateTimeOffset endsAt)
    {
        var response = await client.PostAsJsonAsync("/api/duty/shifts", new { shifts = new[] { new { staffCode, startsAt, endsAt } } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Assert.Single((await response.Content.ReadFromJsonAsync<List<ShiftView>>(TestKit.Web))!);
    }

    async Task<DutyState> DutyOfAsync(HttpClient client, string staffCode)
    {
        var board = await client.GetFromJsonAsync<DutyBoard>("/api/duty?all=true", TestKit.Web);
        return board!.Staff.Single(s => s.Code == staffCode);
    }

    async Task<string?> RecommendedWorkerAsync(long id) =>
        (await _kit.RecommendationsAsync(id)).Single(r => r.Role == "grid_worker").Recommended?.StaffCode;

    async Task<string[]> OfferedAsync(long id) =>
        [.. (await _kit.RecommendationsAsync(id)).SelectMany(r => r.Alternatives.Prepend(r.Recommended)).OfType<Candidate>().Select(c => c.StaffCode)];
}
