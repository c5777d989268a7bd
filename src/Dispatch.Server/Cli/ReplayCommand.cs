using System.Diagnostics;
using System.Globalization;
using Dispatch.Server.Alerts;

namespace Dispatch.Server.Cli;

/// <summary>
/// <c>replay-early-warning --from DAY --to DAY [--out FILE.csv]</c>: the live alert rate, measured
/// (issue 15). Replays the days of a database's past — a generated year (<c>generate-history</c>), or
/// a city's own — through the real scheduled scoring run: the server's <see cref="ScoreAlerts"/> on
/// PostgreSQL, under a clock set to the end of each day in turn, once a day, nulls prepared as the
/// night would. Reports per day what the run raised, alarms and notices apart, and the days with a new
/// alarm. It writes alerts as the live run does: run it on a copy of the state folder, never on a
/// serving city's.
/// </summary>
public static class ReplayCommand
{
    const string Usage = """
        用法 / usage: ./run.sh replay-early-warning --from 2026-01-01 --to 2026-12-31 [--out days.csv] [--clear]
          按天回放：在每天结束时运行真实的预警评分任务，统计预警日数（统计预警与规则通知分开）。
          Replays each day's end through the real scoring run and counts the days with a new alarm
          (statistical alarms and rule notices apart). It writes alerts: use a copy of the state folder.
          --clear  先删除全部预警与三零状态记录 / first delete every alert and recorded 三零 standing (a replay again)
        """;

    /// <summary>A clock the replay moves: the scoring run and everything it asks read the replayed day's end.</summary>
    sealed class ReplayClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h") || args.Length == 0) { Console.WriteLine(Usage); return args.Length == 0 ? 2 : 0; }
        if (!TryDay(args, "--from", out var from) || !TryDay(args, "--to", out var to) || to < from)
        {
            Console.Error.WriteLine($"--from 与 --to 应为日期（YYYY-MM-DD），且 --to 不早于 --from / --from and --to must be dates, in order\n\n{Usage}");
            return 2;
        }
        var output = Option(args, "--out");

        var clock = new ReplayClock();
        await using var app = await DispatchApp.BuildAsync(["--urls", "http://127.0.0.1:0", "--Simulation:Enabled=false", "--Background:Enabled=false",
            "--Demo:HistoryDays=0", "--Banner:Enabled=false", "--Logging:LogLevel:Default=Warning"], b => b.Services.AddSingleton<TimeProvider>(clock));
        var state = app.Services.GetRequiredService<Database.StartupState>();
        await app.StartAsync();
        try { await state.WhenReadyAsync(app.Lifetime.ApplicationStopping); } catch (OperationCanceledException) { }
        if (!state.IsReady)
        {
            Console.Error.WriteLine("数据库未就绪 / the database did not start");
            return 1;
        }

        if (args.Contains("--clear"))
            await using (var conn = await app.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
                await conn.ExecuteAsync(new CommandDefinition("DELETE FROM alert; DELETE FROM three_zero_standing;"));
        var started = Stopwatch.StartNew();
        var days = new List<ScoreSummary>();
        var lines = new List<string> { "day,alarms_raised,alarm_findings,notices,raised_by,seconds,nulls_drawn" };
        Console.WriteLine($"回放 / replaying {from:yyyy-MM-dd} … {to:yyyy-MM-dd}（{to.DayNumber - from.DayNumber + 1} 天）");
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            // The end of the Beijing day: the day is complete, as the last run of a real day sees it.
            clock.Now = new DateTimeOffset(day.ToDateTime(new TimeOnly(23, 55)), TimeSpan.FromHours(8));
            using var scope = app.Services.CreateScope();
            var summary = await scope.ServiceProvider.GetRequiredService<ScoreAlerts>().RunAsync(app.Lifetime.ApplicationStopping);
            days.Add(summary);
            var by = string.Join(' ', (summary.RaisedAlarms ?? new Dictionary<string, int>()).Select(kv => $"{kv.Key}={kv.Value}"));
            var raised = summary.RaisedAlarms?.Values.Sum() ?? 0;
            lines.Add(string.Join(',', day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), raised, summary.Alarms, summary.Notices, by,
                summary.Seconds.ToString("0.00", CultureInfo.InvariantCulture), summary.NullsDrawn));
            Console.WriteLine($"  {day:yyyy-MM-dd}  新预警 {raised,3}（检出 {summary.Alarms,3}）  通知 {summary.Notices,3}  {summary.Seconds,5:0.0} s  {by}");
        }

        var alarmDays = days.Count(d => d.RaisedAlarms?.Values.Sum() > 0);
        var findingDays = days.Count(d => d.Alarms > 0);
        var detectors = days.SelectMany(d => d.RaisedAlarms ?? new Dictionary<string, int>()).GroupBy(kv => kv.Key)
            .Select(g => $"{g.Key} {g.Sum(kv => kv.Value)}").ToList();
        Console.WriteLine($"""

            {days.Count} 天：有新统计预警的天数 {alarmDays}，有统计预警检出的天数 {findingDays}；新预警 {days.Sum(d => d.RaisedAlarms?.Values.Sum() ?? 0)} 条（{string.Join("、", detectors)}）；
            规则通知 {days.Sum(d => d.Notices)} 条次；用时 {started.Elapsed.TotalMinutes:0.0} 分钟（每天 {days.Average(d => d.Seconds):0.0} 秒）。
            {days.Count} days: {alarmDays} with a new statistical alarm, {findingDays} with any alarm finding.
            """);
        if (output is not null) await File.WriteAllLinesAsync(output, lines);
        await app.StopAsync();
        return 0;
    }

    static string? Option(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    static bool TryDay(string[] args, string name, out DateOnly day) =>
        DateOnly.TryParseExact(Option(args, name), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
}
