using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Live;

/// <summary>
/// What one account may ask of the live stream on this node: at most
/// <see cref="LiveOptions.MaxConnectionsPerUser"/> connections (the next is refused with 429 at
/// negotiation, and closed should several race past it), <see cref="LiveOptions.ReplaysAtOnce"/>
/// replays at a time, and replayed events from a token bucket — so that a user resuming from seq 0
/// on many connections cannot stream the outbox at the API's expense.
/// </summary>
public sealed class LiveLimits(LiveSessions live, IOptions<LiveOptions> options) : IDisposable
{
    readonly PartitionedRateLimiter<string> _replaysAtOnce = PartitionedRateLimiter.Create<string, string>(user =>
        RateLimitPartition.GetConcurrencyLimiter(user, _ => new ConcurrencyLimiterOptions { PermitLimit = options.Value.ReplaysAtOnce, QueueLimit = 4 }));

    readonly PartitionedRateLimiter<string> _replayed = PartitionedRateLimiter.Create<string, string>(user =>
        RateLimitPartition.GetTokenBucketLimiter(user, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(options.Value.MaxReplay, options.Value.ReplayPageSize), TokensPerPeriod = options.Value.ReplayEventsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0,
        }));

    public int MaxConnections => options.Value.MaxConnectionsPerUser;

    public bool AtConnectionLimit(string username, int margin = 0) => live.CountFor(username) >= MaxConnections + margin;

    /// <summary>A turn to replay; not acquired when the account already has its replays running and waiting.</summary>
    public ValueTask<RateLimitLease> ReplayTurnAsync(string username, CancellationToken ct) => _replaysAtOnce.AcquireAsync(username, 1, ct);

    /// <summary>Takes <paramref name="events"/> from the account's replay bucket; false when it is empty.</summary>
    public bool TakeReplayed(string username, int events) => events == 0 || _replayed.AttemptAcquire(username, events).IsAcquired;

    public void Dispose()
    {
        _replaysAtOnce.Dispose();
        _replayed.Dispose();
    }
}

public static class LiveLimitsMiddleware
{
    /// <summary>Refuses a new hub connection (negotiation or transport) to an account that holds its maximum already: 429.</summary>
    public static void UseLiveLimits(this WebApplication app) =>
        app.UseWhen(http => http.Request.Path.StartsWithSegments(LiveSetup.HubPath) && http.User.Identity?.Name is not null, branch => branch.Use((http, next) =>
        {
            var limits = http.RequestServices.GetRequiredService<LiveLimits>();
            // New connections are negotiated, or open a WebSocket or event stream; long polling's polls and
            // sends belong to a connection already counted (the hub closes one that raced past this check).
            var opening = http.Request.Path.Value!.EndsWith("/negotiate", StringComparison.Ordinal) || http.WebSockets.IsWebSocketRequest
                          || http.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.Ordinal);
            return opening && limits.AtConnectionLimit(http.User.Identity!.Name!)
                ? Problems.TooMany(http, $"同一账号的实时连接过多（每个账号最多 {limits.MaxConnections} 个），请关闭不用的页面后重试。", TimeSpan.FromSeconds(30)).ExecuteAsync(http)
                : next(http);
        }));
}
