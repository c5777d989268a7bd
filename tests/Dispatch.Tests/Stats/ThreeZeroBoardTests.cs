using System.Net;
using System.Text.Json;
using Dispatch.EarlyWarning.Patterns;
using Dispatch.Server.ThreeZeros;

namespace Dispatch.Tests.Stats;

/// <summary>
/// The 三零 board over HTTP on the real database. The incidents are reported through the API and
/// then moved into 2025 (created_at, priority, level and status set as data), so the counts of
/// a 2025 period are this test's own, whatever other tests report today.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ThreeZeroBoardTests(PlatformFixture platform)
{
    const string Qibin = "410611";
    readonly TestKit _kit = new(platform);

    async Task<T> GetAsync<T>(string username, string path) =>
        await TestKit.ReadAsync<T>(await (await _kit.ClientAsync(username)).GetAsync(path), HttpStatusCode.OK);

    /// <summary>Reports at <paramref name="place"/> and sets what a real case would have become by then.</summary>
    async Task<long> IncidentAsync(Place place, string category, string at, int? priority = null, string? status = null, string? level = null)
    {
        var incident = await _kit.ReportAsync(place, category);
        await using var cmd = platform.Db.CreateCommand("""
            UPDATE incident SET created_at = $2::timestamptz, priority = coalesce($3, priority), status = coalesce($4, status),
                   level = coalesce($5, level), centre_code = CASE WHEN $5 = 'district' THEN district_code ELSE centre_code END, duplicate_of = NULL
            WHERE id = $1
            """);
        foreach (var value in new object[] { incident.Id, at, (object?)priority ?? DBNull.Value, (object?)status ?? DBNull.Value, (object?)level ?? DBNull.Value })
            cmd.Parameters.Add(new() { Value = value });
        Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        return incident.Id;
    }

    sealed record Hand(long MajorAccident, long MinorAccident, long BeyondTownship, long Cancelled, long SettledPetition, long Criminal,
        long EscalatedPetition, long LastYear);

    async Task<(Place Place, string Village, Hand Ids)> SeedAsync()
    {
        var place = await _kit.FreshPlaceAsync(within: Qibin);
        var ids = new Hand(
            MajorAccident: await IncidentAsync(place, "accident", "2025-05-10 10:00+08", priority: 1),
            MinorAccident: await IncidentAsync(place, "accident", "2025-05-11 10:00+08", priority: 3),
            BeyondTownship: await IncidentAsync(place, ThreeZero.BeyondTownship, "2025-05-12 10:00+08"),
            Cancelled: await IncidentAsync(place, ThreeZero.BeyondTownship, "2025-05-13 10:00+08", status: "cancelled"),
            SettledPetition: await IncidentAsync(place, "petition", "2025-05-14 10:00+08"),
            Criminal: await IncidentAsync(place, "criminal", "2025-04-03 10:00+08", priority: 3),
            EscalatedPetition: await IncidentAsync(place, "petition", "2025-01-01 00:10+08", level: "district"),
            LastYear: await IncidentAsync(place, "accident", "2024-12-31 23:30+08", priority: 2));
        return (place, place.GridCode[..12], ids);
    }

    [Fact]
    public async Task A_villages_figures_are_the_hand_count_for_month_quarter_and_year_and_the_drill_down_lists_exactly_those()
    {
        var (place, village, ids) = await SeedAsync();
        var township = village[..9];
        foreach (var (period, petitions, accidents, cases) in new[] { ("month", 1L, 1L, 0L), ("quarter", 1L, 1L, 1L), ("year", 2L, 1L, 1L) })
        {
            var board = await GetAsync<ThreeZeroBoard>("qibin.dispatcher", $"/api/three-zeros?period={period}&at=2025-05-20&regionCode={township}");
            var row = Assert.Single(board.Villages, v => v.Code == village);
            Assert.Equal((period, petitions, accidents, cases, false), (period, row.Petitions, row.MajorAccidents, row.CriminalCases, row.Zero));
            Assert.Equal(period switch { "month" => new DateOnly(2025, 5, 1), "quarter" => new DateOnly(2025, 4, 1), _ => new DateOnly(2025, 1, 1) }, board.From);
            Assert.Equal(period switch { "month" => new DateOnly(2025, 5, 31), "quarter" => new DateOnly(2025, 6, 30), _ => new DateOnly(2025, 12, 31) }, board.To);
            // Ranked: zero villages first, then fewest in all, ties by code; the totals add the rows up.
            Assert.Equal(Enumerable.Range(1, board.Villages.Count).Select(i => (long)i), board.Villages.Select(v => v.Rank));
            Assert.Equal(board.Villages.OrderBy(v => v.Petitions + v.MajorAccidents + v.CriminalCases).ThenBy(v => v.Code, StringComparer.Ordinal).Select(v => v.Code),
                board.Villages.Select(v => v.Code));
            Assert.Equal((board.Villages.Count, board.Villages.Count(v => v.Zero), board.Villages.Sum(v => v.Petitions)),
                ((int)board.Totals.Villages, (int)board.Totals.ZeroVillages, board.Totals.Petitions));
            Assert.All(board.Villages, v => Assert.StartsWith(township, v.Code));

            // The rule of the 三零 alert, over the same incidents, says the same.
            var status = ThreeZero.Assess(village, await VillageIncidentsAsync(village), board.From, board.To, ThreeZeroMajor.Default);
            Assert.Equal((status.Petitions, status.Accidents, status.Cases), ((int)row.Petitions, (int)row.MajorAccidents, (int)row.CriminalCases));
        }

        var month = await GetAsync<ThreeZeroVillageIncidents>("qibin.dispatcher", $"/api/three-zeros/{village}/incidents?period=month&at=2025-05-20");
        Assert.Equal([ids.MajorAccident, ids.BeyondTownship], month.Incidents.Select(i => i.Id));
        Assert.Equal(["accidents", "petitions"], month.Incidents.Select(i => i.Figure));
        Assert.All(month.Incidents, i => Assert.True(i.Description.Length <= 120));
        Assert.Equal(TimeSpan.FromHours(8), month.Incidents[0].CreatedAt.Offset);
        var petitionsOfYear = await GetAsync<ThreeZeroVillageIncidents>("qibin.dispatcher", $"/api/three-zeros/{village}/incidents?period=year&at=2025-05-20&figure=petitions");
        Assert.Equal([ids.EscalatedPetition, ids.BeyondTownship], petitionsOfYear.Incidents.Select(i => i.Id));
        var criminal = await GetAsync<ThreeZeroVillageIncidents>("qibin.dispatcher", $"/api/three-zeros/{village}/incidents?period=quarter&at=2025-05-20&figure=criminal");
        Assert.Equal([ids.Criminal], criminal.Incidents.Select(i => i.Id));
        var lastYear = await GetAsync<ThreeZeroVillageIncidents>("qibin.dispatcher", $"/api/three-zeros/{village}/incidents?period=year&at=2024-06-01");
        Assert.Equal([ids.LastYear], lastYear.Incidents.Select(i => i.Id));

        // A registered unit at the place sees the same incidents (all within 200 m of it).
        await using (var cmd = platform.Db.CreateCommand(
            "INSERT INTO three_zero_unit (code, name, kind, village_code, location, registered_at) VALUES ($1, '测试三零单位', 'enterprise', $2, ST_SetSRID(ST_MakePoint($3, $4), 4326), '2025-01-01')"))
        {
            foreach (var value in new object[] { $"T-{village}", village, place.Lon + 0.0005, place.Lat }) cmd.Parameters.Add(new() { Value = value });
            await cmd.ExecuteNonQueryAsync();
        }
        var units = await GetAsync<ThreeZeroUnits>("qibin.dispatcher", "/api/three-zeros/units?period=quarter&at=2025-05-20");
        var unit = Assert.Single(units.Units, u => u.Code == $"T-{village}");
        Assert.Equal((1L, 1L, 1L, false), (unit.Petitions, unit.MajorAccidents, unit.CriminalCases, unit.Zero));
        Assert.All(units.Units, u => Assert.StartsWith(Qibin, u.VillageCode));

        // The map colours the village as the board ranks it.
        using var map = JsonDocument.Parse(await (await _kit.ClientAsync("qibin.dispatcher")).GetStringAsync($"/api/three-zeros/map?period=month&at=2025-05-20&regionCode={township}"));
        var feature = map.RootElement.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("id").GetString() == village);
        Assert.False(feature.GetProperty("properties").GetProperty("zero").GetBoolean());
        Assert.Equal(1, feature.GetProperty("properties").GetProperty("majorAccidents").GetInt32());
        Assert.Equal("MultiPolygon", feature.GetProperty("geometry").GetProperty("type").GetString());

        // The trend: each month's zero villages are that month's board.
        var history = await GetAsync<ThreeZeroHistory>("qibin.dispatcher", $"/api/three-zeros/history?regionCode={township}&period=month&count=3&at=2025-05-20");
        Assert.Equal([new DateOnly(2025, 3, 1), new DateOnly(2025, 4, 1), new DateOnly(2025, 5, 1)], history.Periods.Select(p => p.From));
        foreach (var p in history.Periods)
        {
            var board = await GetAsync<ThreeZeroBoard>("qibin.dispatcher", $"/api/three-zeros?period=month&at={p.From:yyyy-MM-dd}&regionCode={township}");
            Assert.Equal((board.Totals.Villages, board.Totals.ZeroVillages), (p.Villages, p.ZeroVillages));
        }
    }

    async Task<List<VillageIncident>> VillageIncidentsAsync(string village)
    {
        await using var cmd = platform.Db.CreateCommand(
            "SELECT id, created_at, category_code, level, status, duplicate_of IS NOT NULL, priority FROM incident WHERE village_code = $1");
        cmd.Parameters.Add(new() { Value = village });
        var list = new List<VillageIncident>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
            list.Add(new VillageIncident(r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetBoolean(5), r.GetInt16(6)));
        return list;
    }

    [Fact]
    public async Task Another_districts_dispatcher_sees_only_its_own_villages_and_cannot_read_one_outside()
    {
        var village = (await _kit.FreshPlaceAsync(within: Qibin)).GridCode[..12];
        var xun = await _kit.ClientAsync("xun.dispatcher");
        var board = await GetAsync<ThreeZeroBoard>("xun.dispatcher", "/api/three-zeros");
        Assert.NotEmpty(board.Villages);
        Assert.All(board.Villages, v => Assert.StartsWith("410621", v.Code));
        Assert.Equal("410621", board.RegionCode);
        await TestKit.ProblemAsync(await xun.GetAsync($"/api/three-zeros/{village}/incidents"), HttpStatusCode.Forbidden);
        await TestKit.ProblemAsync(await xun.GetAsync($"/api/three-zeros?regionCode={Qibin}"), HttpStatusCode.Forbidden);
        await TestKit.ProblemAsync(await xun.GetAsync($"/api/three-zeros/history?regionCode={village}"), HttpStatusCode.Forbidden);
        await TestKit.ProblemAsync(await xun.GetAsync($"/api/three-zeros/map?regionCode={Qibin}"), HttpStatusCode.Forbidden);
        Assert.All((await GetAsync<ThreeZeroUnits>("xun.dispatcher", "/api/three-zeros/units")).Units, u => Assert.StartsWith("410621", u.VillageCode));
        // The city sees every district's villages.
        var city = await GetAsync<ThreeZeroBoard>("wall", "/api/three-zeros?period=year");
        Assert.True(city.Villages.Count > 1000, $"{city.Villages.Count} villages");
        await TestKit.ProblemAsync(await xun.GetAsync("/api/three-zeros/410621999999/incidents"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/api/three-zeros?period=week", "period")]
    [InlineData("/api/three-zeros?at=2025-13-01", "at")]
    [InlineData("/api/three-zeros?at=yesterday", "at")]
    [InlineData("/api/three-zeros?regionCode=41x", "regionCode")]
    [InlineData("/api/three-zeros/410611001202/incidents?figure=fires", "figure")]
    [InlineData("/api/three-zeros/4106/incidents", "villageCode")]
    [InlineData("/api/three-zeros/410611001202/incidents?period=decade", "period")]
    [InlineData("/api/three-zeros/history?count=0", "count")]
    [InlineData("/api/three-zeros/history?count=many", "count")]
    [InlineData("/api/three-zeros/units?at=2025-02-30", "at")]
    [InlineData("/api/three-zeros/map?period=Month", "period")]
    public async Task Bad_input_is_a_400_naming_the_field(string path, string field)
    {
        var problem = await TestKit.ProblemAsync(await (await _kit.ClientAsync("qibin.dispatcher")).GetAsync(path), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public void Major_is_the_longest_configured_prefix()
    {
        var major = new ThreeZeroMajor(new Dictionary<string, int> { ["accident"] = 2, ["accident.traffic"] = 1, ["criminal"] = 4 });
        Assert.True(major.IsMajor("accident.fire", 2));
        Assert.False(major.IsMajor("accident.traffic", 2));
        Assert.True(major.IsMajor("criminal", 4));
        Assert.False(major.IsMajor("petition.beyond_township", 1)); // not configured: never counts
        Assert.Equal(ThreeZeroKind.Petitions, ThreeZero.Breaks(new VillageIncident(1, DateTimeOffset.UnixEpoch, ThreeZero.BeyondTownship, "village", "reported", Priority: 4)));
        Assert.Null(ThreeZero.Breaks(new VillageIncident(1, DateTimeOffset.UnixEpoch, "accident", "township", "reported", Priority: 3)));
    }
}
