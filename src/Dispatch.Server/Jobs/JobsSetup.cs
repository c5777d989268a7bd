using Dispatch.Server.Database;
using Dispatch.Server.Identity;
using Hangfire;
using Hangfire.PostgreSql;

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
            .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(services.GetRequiredService<DatabaseAddress>().ConnectionString),
                new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true, QueuePollInterval = TimeSpan.FromSeconds(1) }));
        builder.Services.AddHangfireServer(o =>
        {
            o.WorkerCount = Math.Max(2, Environment.ProcessorCount);
            o.ServerName = $"dispatch-{Environment.MachineName}-{Environment.ProcessId}";
        });
        builder.Services.AddTransient<Staff.PurgeTracks>();
        builder.Services.AddTransient<Live.PurgeEvents>();
        builder.Services.AddSingleton<Alerts.RaiseAlerts>();
        builder.Services.AddSingleton<Alerts.ScoringInputs>();
        builder.Services.AddSingleton<Alerts.MonteCarloNulls>();
        builder.Services.AddSingleton<Alerts.DayModels>();
        builder.Services.AddSingleton<Alerts.ThreeZeroStandings>();
        builder.Services.AddTransient<Alerts.ScoreAlerts>();
        builder.Services.AddTransient<Alerts.RefreshBaselines>();
        builder.Services.AddHostedService<RecurringJobs>();
    }

    public static void MapJobs(this WebApplication app) =>
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions { Authorization = [], AppPath = "/", DisplayStorageConnectionString = false })
            .RequireAuthorization(p => p.RequireRole(Roles.Admin));

    /// <summary>Declares the recurring jobs once the database is ready (AddOrUpdate: every server may, the result is one schedule).</summary>
    sealed class RecurringJobs(IRecurringJobManager jobs, StartupState startup, IConfiguration config, ILogger<RecurringJobs> log) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken ct)
        {
            while (!startup.IsReady) await Task.Delay(200, ct);
            var nightly = new RecurringJobOptions { TimeZone = Beijing };
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    jobs.AddOrUpdate<Staff.PurgeTracks>("purge-tracks", j => j.RunAsync(CancellationToken.None), "30 3 * * *", nightly);
                    jobs.AddOrUpdate<Live.PurgeEvents>("purge-events", j => j.RunAsync(CancellationToken.None), "45 3 * * *", nightly);
                    jobs.AddOrUpdate<Alerts.ScoreAlerts>("score-alerts", j => j.RunAsync(CancellationToken.None), config["Alerts:Schedule"] ?? "*/5 * * * *", nightly);
                    jobs.AddOrUpdate<Alerts.RefreshBaselines>(RefreshJob, j => j.RunAsync(CancellationToken.None), config["Alerts:RefreshSchedule"] ?? "40 23 * * *", nightly);
                    return;
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    // The database may be away for a moment; the schedule is declared when it is back.
                    log.LogWarning(e, "定时任务登记失败（第 {Attempt} 次），稍后重试", attempt);
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(60, 2 * attempt)), ct);
                }
            }
        }
    }
}
