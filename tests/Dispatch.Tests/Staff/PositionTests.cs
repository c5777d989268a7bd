using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Live;
using Dispatch.Server.Privacy;
using Dispatch.Server.Staff;
using Dispatch.Tests.Live;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Staff;

/// <summary>Field phones' positions: the 5-second limit, what is stored (and encrypted), the nightly purge, and the throttled push.</summary>
[Collection(PlatformCollection.Name)]
public sealed class PositionTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_fix_is_stored_its_track_encrypted_and_a_second_within_five_seconds_is_refused_with_retry_after()
    {
        var (code, grid, lon, lat) = await GridWorkerAsync(11);
        using var phone = await platform.SignInAsync(code);

        using var first = await phone.PostAsJsonAsync("/api/staff/me/position", new { lon, lat, accuracy = 8.5 });
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        using var second = await phone.PostAsJsonAsync("/api/staff/me/position", new { lon, lat, accuracy = 8.5 });
        Assert.Equal((HttpStatusCode)429, second.StatusCode);
        Assert.InRange(int.Parse(second.Headers.GetValues("Retry-After").Single()), 1, 5);

        Assert.Equal(lon, await platform.QueryScalarAsync<double>($"SELECT ST_X(position::geometry) FROM staff WHERE code = '{code}'"), 9);
        var fix = await platform.QueryScalarAsync<byte[]>($"SELECT t.fix FROM staff_track t JOIN staff s ON s.id = t.staff_id WHERE s.code = '{code}' ORDER BY t.at DESC LIMIT 1");
        Assert.DoesNotContain(lon.ToString(System.Globalization.CultureInfo.InvariantCulture)[..6], System.Text.Encoding.Latin1.GetString(fix));
        Assert.StartsWith($"{lon:R},{lat:R},8.5", platform.Services.GetRequiredService<PersonalData>().Unprotect(fix));
        _ = grid;
    }

    [Fact]
    public async Task Only_field_accounts_report_and_bad_coordinates_name_their_field()
    {
        using var dispatcher = await platform.SignInAsync("qibin.dispatcher");
        using var refused = await dispatcher.PostAsJsonAsync("/api/staff/me/position", new { lon = 114.3, lat = 35.7 });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var (code, _, _, _) = await GridWorkerAsync(12);
        using var phone = await platform.SignInAsync(code);
        using var bad = await phone.PostAsJsonAsync("/api/staff/me/position", new { lon = 114.3, lat = 135.7 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("lat", out _));
    }

    [Fact]
    public async Task Dispatchers_of_the_area_hear_of_a_position_at_most_once_per_push_interval_and_field_staff_not_at_all()
    {
        var (code, grid, lon, lat) = await GridWorkerAsync(13);
        await using var dispatcher = await LiveClient.SignInAsync(platform.Address, $"dispatcher-{grid[..9]}");
        await using var otherDistrict = await LiveClient.SignInAsync(platform.Address, grid.StartsWith("410621") ? "qibin.dispatcher" : "xun.dispatcher");
        await using var self = await LiveClient.SignInAsync(platform.Address, code);
        using var phone = await platform.SignInAsync(code);

        async Task FixAsync(double dLon)
        {
            // As if five seconds had passed since the last fix.
            await platform.QueryScalarAsync<long>($"WITH u AS (UPDATE staff SET position_at = position_at - interval '6 seconds' WHERE code = '{code}' RETURNING 1) SELECT count(*) FROM u");
            using var response = await phone.PostAsJsonAsync("/api/staff/me/position", new { lon = lon + dLon, lat });
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        await FixAsync(0);
        await dispatcher.WaitForAsync(r => r.Any(IsMine), TimeSpan.FromSeconds(10), "the first position");
        await FixAsync(0.0001); // within the push interval: stored, not pushed
        await platform.QueryScalarAsync<int>($"UPDATE staff SET location_pushed_at = location_pushed_at - interval '16 seconds' WHERE code = '{code}' RETURNING 1");
        await FixAsync(0.0002); // after it: pushed
        await dispatcher.WaitForAsync(r => r.Count(IsMine) >= 2, TimeSpan.FromSeconds(10), "the third position");

        // Positive controls: a report in the worker's own grid, which the worker and the area's
        // dispatcher must hear of, and one in the other district, which its dispatcher must; once
        // they arrive, any position published before them would have arrived too.
        var own = await ReportAtAsync(lon, lat);
        var other = await TestKit.PlaceInAsync(platform.Db, grid.StartsWith("410621") ? "410611" : "410621", 5);
        var elsewhere = await ReportAtAsync(other.Lon, other.Lat);
        await dispatcher.WaitForLaterIncidentAsync(own, "the area's dispatcher");
        await self.WaitForLaterIncidentAsync(own, "the worker");
        await otherDistrict.WaitForLaterIncidentAsync(elsewhere, "the other district's dispatcher");

        var pushed = dispatcher.Received.Where(IsMine).ToList();
        Assert.Equal(2, pushed.Count);
        Assert.Equal(lon + 0.0002, pushed[1].Data.GetProperty("lon").GetDouble(), 9);
        Assert.Equal(3, await platform.QueryScalarAsync<long>($"SELECT count(*) FROM staff_track t JOIN staff s ON s.id = t.staff_id WHERE s.code = '{code}'"));
        Assert.DoesNotContain(otherDistrict.Received, IsMine);
        Assert.DoesNotContain(self.Received, IsMine);

        bool IsMine(LiveEvent e) => e.Type == EventTypes.StaffLocation && e.Data.GetProperty("code").GetString() == code;
    }

    [Fact]
    public async Task The_nightly_purge_removes_fixes_older_than_the_retention_and_keeps_the_rest()
    {
        var (code, _, _, _) = await GridWorkerAsync(14);
        var id = await platform.QueryScalarAsync<long>($"SELECT id FROM staff WHERE code = '{code}'");
        await platform.QueryScalarAsync<int>($"""
            WITH added AS (INSERT INTO staff_track (staff_id, at, fix) VALUES ({id}, now() - interval '31 days', '\x01'), ({id}, now() - interval '29 days', '\x01') RETURNING 1)
            SELECT count(*)::int FROM added
            """);

        var removed = await ActivatorUtilities.CreateInstance<PurgeTracks>(platform.Services).RunAsync(CancellationToken.None);

        Assert.True(removed >= 1);
        Assert.Equal(1, await platform.QueryScalarAsync<long>($"SELECT count(*) FROM staff_track WHERE staff_id = {id}"));
        Assert.Equal(0, await platform.QueryScalarAsync<long>("SELECT count(*) FROM staff_track WHERE at < now() - interval '30 days'"));
    }

    [Fact]
    public async Task Positions_list_the_callers_area_only_and_are_closed_to_field_accounts()
    {
        using var qibin = await platform.SignInAsync("qibin.dispatcher");
        var people = await qibin.GetFromJsonAsync<JsonElement>("/api/staff/positions");
        var expected = await platform.QueryScalarAsync<long>("SELECT count(*) FROM staff WHERE starts_with(grid_code, '410611')");
        Assert.Equal(expected, people.GetArrayLength());
        Assert.All(people.EnumerateArray(), p => Assert.InRange(p.GetProperty("lon").GetDouble(), 113.5, 115.0));

        var (code, _, _, _) = await GridWorkerAsync(15);
        using var phone = await platform.SignInAsync(code);
        Assert.Equal(HttpStatusCode.Forbidden, (await phone.GetAsync("/api/staff/positions")).StatusCode);
    }

    async Task<long> ReportAtAsync(double lon, double lat)
    {
        using var response = await platform.Http.PostAsJsonAsync("/api/incidents", new { categoryCode = "order", description = "路口有人聚集", lon, lat });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    /// <summary>The grid worker of the n-th grid (each test its own person, so their limits do not meet).</summary>
    async Task<(string Code, string Grid, double Lon, double Lat)> GridWorkerAsync(int n)
    {
        await using var cmd = platform.Db.CreateCommand("SELECT 'gw-' || code, code, ST_X(service_point), ST_Y(service_point) FROM grid ORDER BY code OFFSET $1 LIMIT 1");
        cmd.Parameters.Add(new() { Value = n * 97 });
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return (r.GetString(0), r.GetString(1), r.GetDouble(2), r.GetDouble(3));
    }
}
