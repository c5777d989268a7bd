using Dispatch.Server.Regions;
using Dispatch.Server.Staff;

namespace Dispatch.Server.Database;

/// <summary>What start-up has achieved so far; <c>/health/ready</c> reads it.</summary>
public sealed class StartupState
{
    readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    volatile Exception? _failure;
    public bool IsReady => _ready.Task.IsCompleted;
    /// <summary>Why start-up gave up, if it did.</summary>
    public Exception? Failure => _failure;
    public void MarkReady() => _ready.TrySetResult();
    public void MarkFailed(Exception e) => _failure = e;

    /// <summary>Completes once start-up is done; a start-up that fails never completes it (the host stops instead).</summary>
    public Task WhenReadyAsync(CancellationToken ct) => _ready.Task.WaitAsync(ct);
}

/// <summary>
/// Brings the database to the current schema, seeds it, and loads the geography into memory in
/// the background, so that <c>/health/live</c> answers from the first second while a first start
/// seeds the map. Several nodes may start together: an advisory lock lets one work at a time.
/// Migrations and seeding run as the login role; the server then works as <c>dispatch_app</c>.
/// </summary>
public sealed class DatabaseStartup(NpgsqlDataSource db, DatabaseAddress address, GridLocator locator, StartupState state,
    Privacy.PersonalData personal, IConfiguration config, IHostApplicationLifetime lifetime, ILogger<DatabaseStartup> log) : BackgroundService
{
    const long MigrationLock = 410600_0001;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        try
        {
            await using (var owner = address.OwnerDataSource())
            await using (var conn = await OpenWhenAvailableAsync(owner, ct))
            {
                await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLock})", conn))
                    await take.ExecuteNonQueryAsync(ct);
                Migrations.Apply(address.ConnectionString, log);
                await owner.ReloadTypesAsync(ct); // the first connection predates PostGIS's types
                await SeedGeography.SeedIfEmptyAsync(owner, log, ct);
                if (config.GetValue<bool>("Demo:Enabled"))
                {
                    await SeedStaff.SeedIfEmptyAsync(owner, log, ct);
                    await SeedDemoAccounts.SeedIfEmptyAsync(owner, config, log, ct);
                    await ThreeZeros.SeedThreeZeroUnits.SeedIfEmptyAsync(owner, log, ct);
                    // A first demo start: the city's past before its present (the simulated city starts once this is ready),
                    // under the start-up lock, so that two nodes starting together write it once.
                    await db.ReloadTypesAsync(ct);
                    await SeedHistory.SeedIfEmptyAsync(db, personal, config, log, ct);
                }
                await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLock})", conn);
                await release.ExecuteNonQueryAsync(ct);
            }
            await db.ReloadTypesAsync(ct);
            await locator.LoadAsync(db, ct);
            await WarmPoolAsync(db, ct);
            state.MarkReady();
            log.LogInformation("Dispatch is ready");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e)
        {
            log.LogCritical(e, "Start-up failed; stopping");
            state.MarkFailed(e);
            lifetime.StopApplication();
        }
    }

    async Task<NpgsqlConnection> OpenWhenAvailableAsync(NpgsqlDataSource owner, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try { return await owner.OpenConnectionAsync(ct); }
            catch (NpgsqlException e) when (attempt < 60)
            {
                log.LogWarning("Database not reachable yet ({Reason}); retrying", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
            }
        }
    }

    /// <summary>Opens the pool's minimum of connections together, before the first request needs one.</summary>
    static async Task WarmPoolAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        var open = await Task.WhenAll(Enumerable.Range(0, DatabaseSetup.MinimumPool).Select(_ => db.OpenConnectionAsync(ct).AsTask()));
        foreach (var conn in open) await conn.DisposeAsync();
    }

}
