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
        await startup.WhenReadyAsync(ct);
        using var timer = new PeriodicTimer(options.Value.CatchUpEvery);
        do
        {
            try
            {
                if (fanOut.Head < 0) await fanOut.StartAsync(ct);
                else await fanOut.CatchUpAsync(ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                log.LogWarning(e, "从发件箱补齐事件失败，下一秒重试");
            }
        } while (await timer.WaitForNextTickAsync(ct));
    }
}
