using Dispatch.Server.Cli;
using Dispatch.Simulation.History;

namespace Dispatch.Server.Database;

/// <summary>
/// A demo city with a past (issue 15). The simulated city used to start on an empty platform and
/// compress days into minutes, while the detectors, the KPIs and the SLA clocks live on real days:
/// five minutes in, the wall showed hundreds of alerts, a 24-hour chart flat and then a cliff, and
/// 100 % on time. A first demo start now writes <c>Demo:HistoryDays</c> of the city's past first
/// (<c>./run.sh</c>: nine weeks, the scoring run's whole history) with the history generator — the
/// same city mix and daily rhythm as the live simulation, cases in their final statuses, today's
/// still open where they stand — so that charts, KPIs, SLA clocks and baselines all see a believable
/// past from the first minute. Only into a platform without a single report: a restart, or a city
/// with real reports, gets none.
/// </summary>
public static class SeedHistory
{
    public static async Task SeedIfEmptyAsync(NpgsqlDataSource db, Privacy.PersonalData personal, IConfiguration config, ILogger log, CancellationToken ct)
    {
        var days = config.GetValue("Demo:HistoryDays", 0);
        if (days <= 0) return;
        await using (var conn = await db.OpenConnectionAsync(ct))
            if (await conn.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM incident)", cancellationToken: ct))) return;
        log.LogInformation("首次启动：写入全市过去 {Days} 天的历史事件（约一分钟）/ first start: writing the city's past {Days} days", days, days);
        var options = new HistoryOptions
        {
            Days = days, Until = DateTimeOffset.UtcNow, RatePerDay = config.GetValue("Demo:HistoryRate", HistoryOptions.DefaultRate),
        };
        var written = await GenerateHistoryCommand.WriteAsync(db, personal, options, line => log.LogInformation("{Progress}", line.Trim()), ct);
        log.LogInformation("历史事件已写入 {Written:N0} 件 / the past is written", written);
    }
}
