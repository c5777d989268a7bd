using System.Net.Http.Json;
using Dispatch.Simulation;
using Microsoft.Extensions.Logging;

namespace Dispatch.Tests.Simulation;

/// <summary>
/// The simulated city against the real platform, over HTTP: a working day compressed into about
/// twenty seconds files reports, and the district centres and field staff carry them through
/// dispatch, acknowledgement, resolution and closure — without a single error.
/// </summary>
/// <remarks>
/// On a platform of its own: the shared one carries the thousands of reports other tests leave
/// open, and the centres would spend the run working through that backlog instead of the day.
/// </remarks>
public sealed class SimulatorTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    /// <summary>A Tuesday in Beijing from early morning, whatever the hour the tests run: return visits (回访) happen by day.</summary>
    static readonly DateTimeOffset Tuesday = new(2026, 12, 1, 6, 30, 0, TimeSpan.FromHours(8));

    static readonly string[] Wanted = ["report", "accept", "dispatch", "acknowledge", "arrive", "resolve", "verify", "close"];

    [Fact]
    public async Task A_compressed_day_goes_round_the_whole_loop_without_errors()
    {
        var before = await platform.QueryScalarAsync<long>("SELECT coalesce(max(id), 0) FROM incident_event");
        var options = new SimulationOptions
        {
            // 40 simulated minutes a second; the centres look at their queues every second (about 40 simulated minutes).
            Url = platform.Address, RatePerDay = 120, Speed = 2400, Start = Tuesday, Seed = 7,
            Password = PlatformFixture.Password, ProgressEvery = TimeSpan.FromSeconds(5), PollFloor = TimeSpan.FromSeconds(1),
            Handover = false, // the loop of the day's own reports, from an empty board (HandoverTests covers the board)
        };
        // Each centre signs in the first time a case of theirs needs it (a PBKDF2 hash each, at most two at once per
        // address): with the village centres that is a few hundred sign-ins, so a loaded machine needs longer.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var lines = new List<string>();
        var run = Simulator.RunAsync(options, new Collecting(lines), line => { lock (lines) lines.Add(line); }, stop.Token);

        // Run until every step of the loop has happened at least once (about 20 s), or time is up. Checks
        // and return visits wait for daytime (08:00–20:00), so on a slow machine the first closure of the
        // run's own reports may fall on Wednesday morning: 80 s reach it (53 simulated hours).
        while (!run.IsCompleted && !stop.IsCancellationRequested)
        {
            await Task.Delay(1000);
            if ((await ActionsSinceAsync(before)).Keys.ToHashSet().IsSupersetOf(Wanted)) await stop.CancelAsync();
        }
        var stats = await run;

        var actions = await ActionsSinceAsync(before);
        var progress = string.Join("\n", lines); // progress lines and the simulator's warnings
        Assert.True(stats.Created >= 10, $"only {stats.Created} reports filed\n{progress}");
        foreach (var action in Wanted) Assert.True(actions.GetValueOrDefault(action) > 0, $"no '{action}' happened\n{progress}");
        // Every report the simulator saw answered is in the timeline; a few more may have been in flight when it stopped.
        Assert.InRange(actions.GetValueOrDefault("report"), stats.Created, stats.Created + options.MaxConcurrentRequests);
        Assert.True(stats.Errors == 0, $"{stats.Errors} simulator errors\n{progress}");
        Assert.Contains(lines, l => l.StartsWith("模拟时间", StringComparison.Ordinal));

        await ReleaseEveryoneAsync(before);
    }

    async Task<Dictionary<string, long>> ActionsSinceAsync(long eventId)
    {
        // Only the loop of reports filed during the run: the centres also work incidents other tests left
        // behind, and those steps must not end the run before the simulator has filed its own.
        await using var cmd = platform.Db.CreateCommand("""
            SELECT action, count(*) FROM incident_event
            WHERE id > $1 AND incident_id IN (SELECT incident_id FROM incident_event WHERE id > $1 AND action = 'report')
            GROUP BY action
            """);
        cmd.Parameters.Add(new() { Value = eventId });
        var counts = new Dictionary<string, long>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) counts[r.GetString(0)] = r.GetInt64(1);
        return counts;
    }

    /// <summary>Leaves nobody busy for the tests after this one: work still in the field is cancelled, or resolved if already on scene.</summary>
    async Task ReleaseEveryoneAsync(long eventId)
    {
        await using var cmd = platform.Db.CreateCommand("""
            SELECT DISTINCT i.id, i.status, i.version, i.centre_code FROM incident i JOIN incident_event e ON e.incident_id = i.id
            WHERE e.id > $1 AND i.status IN ('dispatched', 'acknowledged', 'on_scene')
            """);
        cmd.Parameters.Add(new() { Value = eventId });
        var open = new List<(long Id, string Status, int Version, string Centre)>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) open.Add((r.GetInt64(0), r.GetString(1), r.GetInt32(2), r.GetString(3)));
        var kit = new TestKit(platform);
        foreach (var (id, status, version, centre) in open)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/incidents/{id}/transitions")
            {
                Content = JsonContent.Create(new { action = status == "on_scene" ? "resolve" : "cancel", note = "测试结束" }),
            };
            request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue($"\"{version}\""));
            // Only the responsible centre acts on a case.
            using var response = await (await kit.ClientAsync(centre == "410600" ? TestKit.Dispatcher : $"dispatcher-{centre}")).SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"releasing #{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Keeps what the simulator logs, to show beside a failure.</summary>
    sealed class Collecting(List<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel level) => level >= LogLevel.Warning;
        public void Log<TState>(LogLevel level, EventId id, TState state, Exception? e, Func<TState, Exception?, string> format)
        {
            if (IsEnabled(level)) lock (lines) lines.Add($"{level}: {format(state, e)}");
        }
    }
}
