using System.Diagnostics;
using Dispatch.Server.Alerts;
using Dispatch.Server.Jobs;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Dispatch.Benchmarks;

/// <summary>
/// B7: from a scheduled job's time to its results being visible, on Hangfire.PostgreSql against the
/// benchmarks' PostGIS (the server's migrations and geography, nine weeks of reports). The job is
/// the real scoring run (<see cref="ScoreAlerts"/>, its nulls drawn beforehand as the nightly refresh
/// does) on a cron of every minute, Beijing time. Three configurations, one after another in the
/// same run, each in a schema of its own: Hangfire's defaults (the anchor: 15 s polling), main's
/// settings before this change (queue polled every second), and <see cref="JobsSetup"/>'s.
/// For each job: scheduled = the minute it was due; started = its Processing state; visible = its
/// Succeeded state, written after the run has committed its alerts. Then, with no job due, the
/// database's transactions a second (pg_stat_database, this program's own samples taken off).
/// </summary>
public static class JobLatency
{
    sealed record Config(string Name, PostgreSqlStorageOptions Storage, Action<BackgroundJobServerOptions> Server, IBackgroundProcess[] Processes);

    public static async Task RunAsync(string[] args)
    {
        var minutes = int.Parse(args.SkipWhile(a => a != "--minutes").Skip(1).FirstOrDefault() ?? "6");
        var idleSeconds = int.Parse(args.SkipWhile(a => a != "--idle-seconds").Skip(1).FirstOrDefault() ?? "60");
        // A cluster of its own: this benchmark writes reports, alerts and Hangfire schemas.
        await using var bench = await BenchDatabase.StartAsync("/tmp/dispatch-bench-b7");
        var connectionString = bench.ConnectionString;
        Console.WriteLine($"reports in the database: {await SeedAsync(bench.Db):N0}; load average at start: {LoadAverage()}");

        var services = new ServiceCollection()
            .AddLogging(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(bench.Db).AddSingleton(TimeProvider.System)
            .AddSingleton<RaiseAlerts>().AddSingleton<ScoringInputs>().AddSingleton<MonteCarloNulls>().AddSingleton<DayModels>()
            .AddSingleton<ThreeZeroStandings>().AddTransient<ScoreAlerts>()
            .BuildServiceProvider();
        GlobalConfiguration.Configuration.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings().UseActivator(new Hangfire.AspNetCore.AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>()));
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var watch = Stopwatch.StartNew();
        await services.GetRequiredService<DayModels>().PrepareAsync(today, CancellationToken.None); // what the nightly refresh does
        Console.WriteLine($"nulls of {today} prepared in {watch.Elapsed.TotalSeconds:F1} s");
        for (var i = 0; i < 3; i++)
        {
            watch.Restart();
            await services.GetRequiredService<ScoreAlerts>().RunAsync(CancellationToken.None);
            Console.WriteLine($"one scoring run outside Hangfire: {watch.Elapsed.TotalMilliseconds:F0} ms");
        }

        Config[] configs =
        [
            new("anchor: Hangfire defaults (schedule and queue polled every 15 s)", new PostgreSqlStorageOptions { SchemaName = "b7_anchor", PrepareSchemaIfNecessary = true },
                JobsSetup.ServerOptions, []),
            new("main before B7: queue polled every 1 s, schedule every 15 s", new PostgreSqlStorageOptions { SchemaName = "b7_main", PrepareSchemaIfNecessary = true, QueuePollInterval = TimeSpan.FromSeconds(1) },
                JobsSetup.ServerOptions, []),
            new("JobsSetup: minute-boundary scheduler, LISTEN/NOTIFY, queue polled every 15 s", JobsSetup.StorageOptions("b7_jobssetup"), JobsSetup.ServerOptions,
                [JobsSetup.MinuteScheduler(new Hangfire.Client.BackgroundJobFactory(Hangfire.Common.JobFilterProviders.Providers))]),
        ];
        var results = new List<(Config Config, double Idle, List<(double Start, double Visible, double Run)> Jobs, string Load)>();
        foreach (var config in configs)
        {
            await ExecAsync(bench.Db, $"DROP SCHEMA IF EXISTS {config.Storage.SchemaName} CASCADE");
            var storage = new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString, config.Storage), config.Storage);
            var options = new BackgroundJobServerOptions();
            config.Server(options);
            using (var server = new BackgroundJobServer(options, storage, config.Processes))
            {
                await Task.Delay(TimeSpan.FromSeconds(30)); // started, schema prepared, start-up housekeeping done
                var idle = await IdleTransactionsPerSecondAsync(bench.Db, TimeSpan.FromSeconds(idleSeconds));
                var manager = new RecurringJobManager(storage);
                manager.AddOrUpdate<ScoreAlerts>("score-alerts", j => j.RunAsync(CancellationToken.None), "* * * * *",
                    new RecurringJobOptions { TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai") });
                Console.WriteLine($"{config.Name}: idle {idle:F1} transactions/s; scoring every minute for {minutes} minutes …");
                var deadline = DateTime.UtcNow.AddMinutes(minutes + 1.5);
                List<(double, double, double)> jobs;
                while ((jobs = await JobsAsync(bench.Db, config.Storage.SchemaName)).Count < minutes && DateTime.UtcNow < deadline) await Task.Delay(2000);
                manager.RemoveIfExists("score-alerts");
                results.Add((config, idle, jobs, LoadAverage()));
            }
        }

        Console.WriteLine();
        Console.WriteLine("| configuration | jobs | started after the minute, p50 / max | visible after the minute, p50 / p90 / max | run p50 | idle transactions/s | load average after |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---|");
        foreach (var (config, idle, jobs, load) in results)
            Console.WriteLine($"| {config.Name} | {jobs.Count} | {Ms(Median(jobs.Select(j => j.Start)))} / {Ms(jobs.Max(j => j.Start))} | " +
                $"{Ms(Median(jobs.Select(j => j.Visible)))} / {Ms(Quantile(jobs.Select(j => j.Visible), 0.9))} / {Ms(jobs.Max(j => j.Visible))} | " +
                $"{Ms(Median(jobs.Select(j => j.Run)))} | {idle:F1} | {load} |");
        var anchor = Median(results[0].Jobs.Select(j => j.Visible));
        foreach (var (config, _, jobs, _) in results.Skip(1))
            Console.WriteLine($"visible p50 ratio to the anchor, {config.Name}: {Median(jobs.Select(j => j.Visible)) / anchor:F3}");
    }

    /// <summary>Per succeeded job: seconds from the minute it was due to Processing, to Succeeded, and between them.</summary>
    static async Task<List<(double Start, double Visible, double Run)>> JobsAsync(NpgsqlDataSource db, string schema)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT extract(epoch FROM p.createdat - date_trunc('minute', j.createdat))::float8,
                   extract(epoch FROM s.createdat - date_trunc('minute', j.createdat))::float8,
                   extract(epoch FROM s.createdat - p.createdat)::float8
            FROM {schema}.job j
            JOIN {schema}.state p ON p.jobid = j.id AND p.name = 'Processing'
            JOIN {schema}.state s ON s.jobid = j.id AND s.name = 'Succeeded'
            ORDER BY j.id
            """);
        await using var r = await cmd.ExecuteReaderAsync();
        var jobs = new List<(double, double, double)>();
        while (await r.ReadAsync()) jobs.Add((r.GetDouble(0), r.GetDouble(1), r.GetDouble(2)));
        return jobs;
    }

    static async Task<double> IdleTransactionsPerSecondAsync(NpgsqlDataSource db, TimeSpan span)
    {
        const string sql = "SELECT (xact_commit + xact_rollback)::float8 FROM pg_stat_database WHERE datname = current_database()";
        await using var cmd = db.CreateCommand(sql);
        var before = (double)(await cmd.ExecuteScalarAsync())!;
        var watch = Stopwatch.StartNew();
        await Task.Delay(span);
        await using var again = db.CreateCommand(sql);
        var after = (double)(await again.ExecuteScalarAsync())!;
        return (after - before - 1) / watch.Elapsed.TotalSeconds; // less this program's first sample
    }

    /// <summary>Nine weeks of reports, about 1,000 a day, each within ≈ 300 m of its grid's service point (once; the database is kept).</summary>
    static async Task<long> SeedAsync(NpgsqlDataSource db)
    {
        await ExecAsync(db, """
            INSERT INTO incident (status, category_code, priority, description, location, grid_code, village_code, township_code, district_code,
                                  source, created_by, created_at, due_at, centre_code)
            SELECT 'closed', 'dispute.neighbour', 3, '历史事件',
                   ST_Translate(g.service_point, (abs(hashtext(g.code || 'x' || d)) % 600 - 300) * 1e-5, (abs(hashtext(g.code || 'y' || d)) % 600 - 300) * 1e-5), g.code, g.village_code, left(g.code, 9), left(g.code, 6),
                   'hotline', 'bench', now() - make_interval(days => d, mins => (abs(hashtext(g.code || d)) % 1440)), now(), g.village_code
            FROM generate_series(1, 63) d, grid g
            WHERE abs(hashtext(g.code || ':' || d)) % 4 = 0 AND NOT EXISTS (SELECT 1 FROM incident WHERE created_by = 'bench')
            """);
        await using var cmd = db.CreateCommand("SELECT count(*) FROM incident");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    static async Task ExecAsync(NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    static double Median(IEnumerable<double> xs) => Quantile(xs, 0.5);
    static double Quantile(IEnumerable<double> xs, double q)
    {
        var sorted = xs.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(q * sorted.Length))];
    }
    static string Ms(double seconds) => double.IsNaN(seconds) ? "—" : $"{seconds * 1000:F0} ms";
}
