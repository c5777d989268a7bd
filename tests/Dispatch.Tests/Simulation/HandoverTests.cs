using Dispatch.Simulation;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Dispatch.Tests.Simulation;

/// <summary>
/// A demo city's first start (Done-when 9 of the incidents issue: every district in every status
/// within five minutes): the centres take over a board with a case in every status of the
/// lifecycle, each walked there through the API by the people who would act — and only once.
/// </summary>
/// <remarks>On a platform of its own: the board is filled only where it is empty.</remarks>
public sealed class HandoverTests(PlatformFixture platform, ITestOutputHelper output) : IClassFixture<PlatformFixture>
{
    [Fact]
    public async Task Every_district_takes_over_a_case_in_every_status_once()
    {
        // At speed 1 and a handful of reports a day, nothing but the handover happens in these seconds.
        var options = new SimulationOptions
        {
            Url = platform.Address, RatePerDay = 1, Speed = 1, Seed = 5, Password = PlatformFixture.Password,
            Duration = TimeSpan.FromSeconds(90), ProgressEvery = TimeSpan.FromMinutes(1),
        };
        var log = new Said();
        using var stop = new CancellationTokenSource();
        var running = Simulator.RunAsync(options, log, _ => { }, stop.Token);
        while (!running.IsCompleted && !log.Lines.Any(l => l.Contains("交接班", StringComparison.Ordinal))) await Task.Delay(200);
        await stop.CancelAsync();
        var first = await running;
        output.WriteLine(string.Join("\n", log.Lines));

        var districts = await DistrictsAsync();
        Assert.Equal(6, districts.Count);
        var statuses = Enum.GetValues<IncidentStatus>().Select(s => s.Wire()).ToHashSet();
        await using (var cmd = platform.Db.CreateCommand("""
            SELECT i.district_code, array_agg(DISTINCT e.to_status) FROM incident i JOIN incident_event e ON e.incident_id = i.id GROUP BY 1
            """))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync())
            {
                var seen = r.GetFieldValue<string[]>(1).ToHashSet();
                Assert.True(seen.SetEquals(statuses), $"{r.GetString(0)}: missing {string.Join(", ", statuses.Except(seen))}");
                districts.Remove(r.GetString(0));
            }
        Assert.Empty(districts); // every district has cases
        Assert.Equal(0, first.Errors);
        Assert.Equal(6 * Handover.Statuses.Count, first.Created);

        // The boards are no longer empty: a second start takes nothing over.
        var second = await Simulator.RunAsync(options with { Duration = TimeSpan.FromSeconds(3) }, log, _ => { }, CancellationToken.None);
        Assert.Equal(0, second.Created);
        Assert.Equal(0, second.Errors);
    }

    sealed class Said : ILogger
    {
        public List<string> Lines { get { lock (_lines) return [.. _lines]; } }
        readonly List<string> _lines = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel level) => level >= LogLevel.Information;
        public void Log<TState>(LogLevel level, EventId id, TState state, Exception? e, Func<TState, Exception?, string> format)
        {
            lock (_lines) _lines.Add($"{level}: {format(state, e)}");
        }
    }

    async Task<HashSet<string>> DistrictsAsync()
    {
        await using var cmd = platform.Db.CreateCommand("SELECT DISTINCT left(code, 6) FROM grid");
        var codes = new HashSet<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) codes.Add(r.GetString(0));
        return codes;
    }
}
