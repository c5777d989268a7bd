using Dispatch.Server.Database;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Live;

/// <summary>
/// Starts this server's end of the stream once the database is ready, then checks the outbox
/// every second for events the stream did not bring (a Redis message lost, Redis down): seq is
/// gap-free, so whatever lies past the head is known to be missing.
/// </summary>
public sealed class CatchUp(FanOut fanOut, StartupState startup, IOptions<LiveOptions> options, ILogger<CatchUp> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        while (!startup.IsReady) await Task.Delay(200, ct);
        await fanOut.StartAsync(ct);
        using var timer = new PeriodicTimer(options.Value.CatchUpEvery);
        while (await timer.WaitForNextTickAsync(ct))
        {
            try { await fanOut.CatchUpAsync(ct); }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
            {
                log.LogDebug(e, "Catch-up from the outbox failed; next tick retries");
            }
        }
    }
}
