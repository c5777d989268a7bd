using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Incidents;
using Dispatch.Server.Live;
using Dispatch.Server.Supervision;
using Dispatch.Tests.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.Tests.Supervision;

/// <summary>A platform whose clock the test turns: SLA deadlines and the watch follow it, not the wall clock.</summary>
public sealed class ClockedPlatform : PlatformFixture
{
    // Whole seconds: the database keeps microseconds, so a deadline read back equals the one computed.
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    protected override void Configure(WebApplicationBuilder builder) => builder.Services.AddSingleton<TimeProvider>(Clock);

    /// <summary>Turns the clock and waits until the SLA watch has looked at the new moment.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        var watch = Services.GetRequiredService<SlaWatch>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (watch.LastRound is not { } last || last < Clock.GetUtcNow())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The SLA watch did not run.");
            Clock.Advance(TimeSpan.Zero);
            await Task.Delay(20);
        }
    }
}

/// <summary>
/// SLA clocks that push (docs/api.md, "SLA clocks"): at 80 % of a stage's time a warning, at 100 %
/// a breach, each an <c>incident.sla</c> event given exactly once per deadline — across a step that
/// starts the next stage's clock and across a restart of the server.
/// </summary>
public sealed class SlaPushTests(ClockedPlatform platform) : IClassFixture<ClockedPlatform>
{
    readonly TestKit _kit = new(platform);

    // 事故 (accident): handled by the township's centre, accepted within 5 minutes, on scene within 20, natural time.
    // A township's case stays with it when overdue (Supervision:OverdueClimbsTo is the township), so it stays overdue.
    const string Category = "accident";
    // 治安 (order): a village's case, accepted within 10 minutes; overdue, it climbs to the township by itself.
    const string VillageCategory = "order";

    [Fact]
    public async Task A_warning_at_80_percent_and_a_breach_at_the_deadline_each_pushed_once_then_the_next_stage_clock()
    {
        await using var live = await LiveClient.SignInAsync(platform.Address, "city.dispatcher");
        var filed = platform.Clock.GetUtcNow();
        var incident = await _kit.ReportAsync(await _kit.FreshPlaceAsync(), Category);
        Assert.Equal(filed.AddMinutes(5), incident.DueAt);
        Assert.Equal(filed.AddMinutes(4), incident.WarnAt);

        await platform.AdvanceAsync(TimeSpan.FromMinutes(4) - TimeSpan.FromSeconds(1));
        Assert.Empty(await SignalsAsync(incident.Id));
        await platform.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(["warning"], await SignalsAsync(incident.Id));
        await platform.AdvanceAsync(TimeSpan.FromMinutes(1) - TimeSpan.FromSeconds(1));
        Assert.Equal(["warning"], await SignalsAsync(incident.Id));
        await platform.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(["warning", "breach"], await SignalsAsync(incident.Id));
        await platform.AdvanceAsync(TimeSpan.FromMinutes(5));

        // Overdue now: the list of overdue cases and the KPIs say so by the same rule.
        var overdue = await (await _kit.ClientAsync("city.dispatcher")).GetFromJsonAsync<JsonElement>("/api/incidents?overdue=true&pageSize=500");
        Assert.Contains(overdue.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt64() == incident.Id);

        // Accepting starts the clock to be on scene (20 minutes): its own warning at 16.
        var accepted = await _kit.StepAsync(incident, "accept");
        Assert.Equal(platform.Clock.GetUtcNow().AddMinutes(20), accepted.DueAt);
        var noLongerOverdue = await (await _kit.ClientAsync("city.dispatcher")).GetFromJsonAsync<JsonElement>("/api/incidents?overdue=true&pageSize=500");
        Assert.DoesNotContain(noLongerOverdue.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt64() == incident.Id);
        await platform.AdvanceAsync(TimeSpan.FromMinutes(16));
        Assert.Equal(["warning", "breach", "warning"], await SignalsAsync(incident.Id));

        var events = await SlaEventsAsync(live, incident.Id, 3);
        Assert.Equal(["accept/warning", "accept/breach", "arrive/warning"],
            events.Select(e => $"{e.Data.GetProperty("stage").GetString()}/{e.Data.GetProperty("kind").GetString()}"));
        Assert.Equal(incident.DueAt, events[0].Data.GetProperty("dueAt").GetDateTimeOffset());
        // Exactly once: a later event of the same client has arrived, and still three.
        await live.WaitForLaterIncidentAsync((await _kit.ReportAsync(await _kit.FreshPlaceAsync(), "service")).Id, "a later report");
        Assert.Equal(3, live.Received.Count(e => e.Type == EventTypes.IncidentSla && e.Data.GetProperty("incidentId").GetInt64() == incident.Id));
    }

    [Fact]
    public async Task Signals_due_while_the_server_was_down_are_given_once_when_it_is_back()
    {
        var incident = await _kit.ReportAsync(await _kit.FreshPlaceAsync(), VillageCategory);
        await platform.RestartAsync(whileStopped: () => platform.Clock.Advance(TimeSpan.FromMinutes(11)));
        await platform.AdvanceAsync(TimeSpan.Zero);
        Assert.Equal(["warning", "breach"], await SignalsAsync(incident.Id));
        Assert.Equal(2, await EventCountAsync(incident.Id));
        // The breach took the village's case up to the township, in the same transaction.
        var climbed = await _kit.GetAsync(incident.Id);
        Assert.Equal((IncidentStatus.Escalated, incident.TownshipCode), (climbed.Status, climbed.CentreCode));

        await platform.RestartAsync();
        await platform.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(["warning", "breach"], await SignalsAsync(incident.Id));
        Assert.Equal(2, await EventCountAsync(incident.Id));
    }

    [Fact]
    public async Task A_member_silent_past_the_acknowledge_time_is_named_once_and_may_be_replaced()
    {
        var accepted = await _kit.BuildAsync(IncidentStatus.Accepted, await _kit.FreshPlaceAsync(), "safety");
        var first = await _kit.StepAsync(accepted, "dispatch");
        var silent = Assert.Single(first.Assignments);
        // Dispatching the role again while the member may still answer pads nothing (400).
        var early = await _kit.TakeAsync(first, "dispatch", [await TestKit.StaffIdAsync(platform.Db, await OtherWorkerAsync(silent.StaffCode))]);
        await TestKit.ProblemAsync(early, HttpStatusCode.BadRequest);

        await platform.AdvanceAsync(TimeSpan.FromMinutes(10));
        await platform.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(1L, await platform.QueryScalarAsync<long>(
            $"SELECT count(*) FROM outbox WHERE type = '{EventTypes.AssignmentUnacknowledged}' AND (data->>'id')::bigint = {silent.Id}"));
        // The console reloading the case still shows who is silent (the mark is the member's, not the notice's).
        Assert.NotNull((await _kit.GetAsync(first.Id)).Assignments.Single(a => a.Id == silent.Id).AckWarnedAt);

        var replacement = await OtherWorkerAsync(silent.StaffCode);
        var second = await _kit.StepAsync(first, "dispatch", [await TestKit.StaffIdAsync(platform.Db, replacement)]);
        Assert.Equal(IncidentStatus.Dispatched, second.Status);
        Assert.Equal("replaced", second.Assignments.Single(a => a.Id == silent.Id).Status);
        Assert.Equal("pending", second.Assignments.Single(a => a.StaffCode == replacement).Status);
        Assert.Equal("available", await platform.QueryScalarAsync<string>($"SELECT status FROM staff WHERE id = {silent.StaffId}"));
    }

    /// <summary>Another available grid worker of the same village.</summary>
    Task<string> OtherWorkerAsync(string staffCode) => platform.QueryScalarAsync<string>(
        "SELECT code FROM staff WHERE kind = 'grid_worker' AND status = 'available' " +
        $"AND code <> '{staffCode}' AND starts_with(grid_code, '{staffCode[3..15]}') ORDER BY code LIMIT 1");

    [Fact]
    public async Task A_report_more_urgent_than_its_category_runs_on_the_faster_clock()
    {
        // 邻里纠纷 is priority 3, accepted within 30 minutes; marked 紧急 (1) the clock halves twice.
        var place = await _kit.FreshPlaceAsync();
        var filed = platform.Clock.GetUtcNow();
        var response = await (await _kit.ClientAsync("city.dispatcher")).PostAsJsonAsync("/api/incidents",
            new { categoryCode = "dispute.neighbour", description = "楼上楼下因漏水发生争执，双方情绪激动。", lon = place.Lon, lat = place.Lat, priority = 1 });
        var urgent = await TestKit.ReadAsync<IncidentView>(response, HttpStatusCode.Created);
        Assert.Equal(filed.AddMinutes(7), urgent.DueAt);
        var usual = await _kit.ReportAsync(await _kit.FreshPlaceAsync(), "dispute.neighbour");
        Assert.Equal(platform.Clock.GetUtcNow().AddMinutes(30), usual.DueAt);
    }

    async Task<string[]> SignalsAsync(long id)
    {
        await using var cmd = platform.Db.CreateCommand("SELECT kind FROM sla_signal WHERE incident_id = $1 ORDER BY due_at, kind = 'breach'");
        cmd.Parameters.AddWithValue(id);
        var kinds = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) kinds.Add(reader.GetString(0));
        return [.. kinds];
    }

    Task<long> EventCountAsync(long id) =>
        platform.QueryScalarAsync<long>($"SELECT count(*) FROM outbox WHERE type = '{EventTypes.IncidentSla}' AND (data->>'incidentId')::bigint = {id}");

    static async Task<List<LiveEvent>> SlaEventsAsync(LiveClient live, long id, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var events = live.Received.Where(e => e.Type == EventTypes.IncidentSla && e.Data.GetProperty("incidentId").GetInt64() == id).ToList();
            if (events.Count >= count || DateTime.UtcNow > deadline) return events;
            await Task.Delay(50);
        }
    }
}
