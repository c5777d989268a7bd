using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Live;

/// <summary>
/// <c>/hubs/dispatch</c>: signed-in users only. A connection receives nothing until it calls
/// <see cref="Resume"/>; from then on every event of its user's scope, in seq order, exactly once.
/// Clients choose nothing about routing: the scope comes from the sign-in.
/// </summary>
[Authorize]
public sealed class DispatchHub(FanOut fanOut, History history, IHubContext<DispatchHub, IDispatchClient> hub, LiveSessions sessions,
    LiveLimits limits, IOptions<LiveOptions> options, ILogger<DispatchHub> log) : Hub<IDispatchClient>
{
    const string SubscriberKey = "subscriber";

    public override Task OnConnectedAsync()
    {
        var user = CurrentUser.From(Context.User!);
        Context.Items[SubscriberKey] = new Subscriber(Context, user, fanOut, history, hub, limits, options.Value, log);
        // Known by its session, so that logout, a password change or an administrator closes it at once.
        sessions.Add(Context.ConnectionId, Sessions.IdOf(Context.User!), user.Username, Context.Abort);
        if (limits.AtConnectionLimit(user.Username, margin: 1))
        {
            // Raced past the check at negotiation: one over the limit is one too many.
            log.LogWarning("账号 {User} 的实时连接超过上限 {Max}，关闭新连接", user.Username, limits.MaxConnections);
            Context.Abort();
        }
        return Task.CompletedTask;
    }

    /// <summary>Replays every event after <paramref name="lastSeq"/> the caller may see, then continues live; null: live from now.</summary>
    public async Task<ResumeResult> Resume(long? lastSeq)
    {
        if (lastSeq is < 0) throw new HubException("lastSeq 不能为负数。");
        try { await fanOut.Started.WaitAsync(StartupWait, Context.ConnectionAborted); }
        catch (TimeoutException) { throw new HubException("服务正在启动，请稍后重试。"); }
        return await Subscriber.ResumeAsync(lastSeq, Context.ConnectionAborted);
    }

    static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(30);

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        sessions.Remove(Context.ConnectionId);
        await Subscriber.CloseAsync();
        await base.OnDisconnectedAsync(exception);
    }

    Subscriber Subscriber => (Subscriber)Context.Items[SubscriberKey]!;
}
