using Dispatch.Server.Database;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Server;
using Hangfire.Storage;

namespace Dispatch.Server.Jobs;

/// <summary>
/// Scheduled work on Hangfire, stored in PostgreSQL (schema <c>hangfire</c>, created by Hangfire
/// itself as the database's owner), with workers in every server: whichever is free takes a job.
/// The dashboard at <c>/hangfire</c> is for admins.
/// </summary>
public static class JobsSetup
{
    public const string DashboardPath = "/hangfire";
    public const string RefreshJob = "refresh-baselines";
    static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static void AddDispatchJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddHangfire((services, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(services.GetRequiredService<DatabaseAddress>().ConnectionString), StorageOptions("hangfire")));
        // A command-line verb that borrows the server's start (generate-history beside a serving server)
        // runs no jobs and declares no schedule: it must neither score a half-written past nor reset the
        // serving server's schedules to its own defaults.
        var background = Background(builder.Configuration);
        if (background)
        {
            builder.Services.AddHangfireServer(ServerOptions);
            // Picked up by AddHangfireServer as an additional process of the server; made when the server
            // starts, after Hangfire's logging and filters are set up for this application.
            builder.Services.AddSingleton(services => MinuteScheduler(
                new Hangfire.Client.BackgroundJobFactory(services.GetService<Hangfire.Common.IJobFilterProvider>() ?? Hangfire.Common.JobFilterProviders.Providers)));
        }
        builder.Services.AddTransient<Staff.PurgeTracks>();
        builder.Services.AddTransient<Live.PurgeEvents>();
        builder.Services.AddTransient<Identity.PurgeSignInState>();
        builder.Services.AddSingleton<Alerts.RaiseAlerts>();
        builder.Services.AddSingleton<Alerts.ScoringInputs>();
        builder.Services.AddSingleton<Alerts.MonteCarloNulls>();
        builder.Services.AddSingleton<Alerts.DayModels>();
        builder.Services.AddSingleton<Alerts.ThreeZeroStandings>();
        builder.Services.AddTransient<Alerts.ScoreAlerts>();
        builder.Services.AddTransient<Alerts.RefreshBaselines>();
        if (background) builder.Services.AddHostedService<RecurringJobs>();
    }

    /// <summary>Whether this process runs the background work (jobs, schedules, SLA clocks): <c>Background:Enabled</c>, true unless a verb says otherwise.</summary>
    public static bool Background(IConfiguration config) => config.GetValue("Background:Enabled", true);

    /// <summary>
    /// Storage settings (B7, <c>docs/performance.md</c>): a worker waits for work on PostgreSQL's
    /// LISTEN/NOTIFY (<c>EnableLongPolling</c>) and wakes when a job is enqueued by any server, so
    /// it can poll the queue as rarely as Hangfire's default 15 s without starting jobs late; an
    /// idle database then sees a few transactions a second instead of one per worker per second.
    /// </summary>
    public static PostgreSqlStorageOptions StorageOptions(string schema) => new()
    {
        SchemaName = schema, PrepareSchemaIfNecessary = true, EnableLongPolling = true, QueuePollInterval = TimeSpan.FromSeconds(15),
    };

    public static void ServerOptions(BackgroundJobServerOptions o)
    {
        o.WorkerCount = Math.Max(2, Environment.ProcessorCount);
        o.ServerName = $"dispatch-{Environment.MachineName}-{Environment.ProcessId}";
    }

    /// <summary>
    /// A recurring-job scheduler that sleeps until the next whole minute instead of polling every
    /// <c>SchedulePollingInterval</c> (15 s): Hangfire's own scheduler with no polling delay. Every
    /// schedule here is in whole minutes, so a job is enqueued within milliseconds of its time
    /// rather than up to 15 s after it; the server's default scheduler stays as a fallback (both
    /// take Hangfire's distributed lock, so a job is enqueued once).
    /// </summary>
    public static IBackgroundProcess MinuteScheduler(Hangfire.Client.IBackgroundJobFactory factory) => new RecurringJobScheduler(factory);

    public static void MapJobs(this WebApplication app) =>
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions { Authorization = [], AppPath = "/", DisplayStorageConnectionString = false })
            .RequireAuthorization(p => p.RequireRole(Roles.Admin));

    /// <summary>Declares the recurring jobs once the database is ready (AddOrUpdate: every server may, the result is one schedule).</summary>
    sealed class RecurringJobs(IRecurringJobManager jobs, JobStorage storage, IServiceProvider services, StartupState startup, IConfiguration config,
        ILogger<RecurringJobs> log) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken ct)
        {
            await startup.WhenReadyAsync(ct);
            var nightly = new RecurringJobOptions { TimeZone = Beijing };
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    jobs.AddOrUpdate<Staff.PurgeTracks>("purge-tracks", j => j.RunAsync(CancellationToken.None), "30 3 * * *", nightly);
                    jobs.AddOrUpdate<Live.PurgeEvents>("purge-events", j => j.RunAsync(CancellationToken.None), "45 3 * * *", nightly);
                    jobs.AddOrUpdate<Identity.PurgeSignInState>("purge-sign-in-state", j => j.RunAsync(CancellationToken.None), "50 3 * * *", nightly);
                    jobs.AddOrUpdate<Alerts.ScoreAlerts>("score-alerts", j => j.RunAsync(CancellationToken.None), config["Alerts:Schedule"] ?? "*/5 * * * *", nightly);
                    jobs.AddOrUpdate<Alerts.RefreshBaselines>(RefreshJob, j => j.RunAsync(CancellationToken.None), config["Alerts:RefreshSchedule"] ?? "40 23 * * *", nightly);
                    break;
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    // The database may be away for a moment; the schedule is declared when it is back.
                    log.LogWarning(e, "定时任务登记失败（第 {Attempt} 次），稍后重试", attempt);
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(60, 2 * attempt)), ct);
                }
            }
            await WarmUpScoringAsync(ct);
        }

        /// <summary>
        /// The first scoring run after a start would load the grids, nine weeks of counts and the
        /// day's stored Monte Carlo nulls (≈ 1.5 s, B7); this server loads them now, so that run
        /// only reads the latest counts. Only when a run is due within the hour: a server whose
        /// scoring is off (the browser tests') spends nothing.
        /// </summary>
        async Task WarmUpScoringAsync(CancellationToken ct)
        {
            try
            {
                using var connection = storage.GetConnection();
                var next = connection.GetRecurringJobs(["score-alerts"]).FirstOrDefault()?.NextExecution;
                if (next is null || next > DateTime.UtcNow.AddHours(1)) return;
                var took = await services.GetRequiredService<Alerts.ScoreAlerts>().WarmUpAsync(ct);
                log.LogInformation("预警评分预热完成，用时 {Seconds:F2} 秒", took.TotalSeconds);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                log.LogWarning(e, "预警评分预热失败：首次评分将自行加载");
            }
        }
    }
}
