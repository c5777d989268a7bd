using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;

namespace Dispatch.Server.Live;

/// <summary>
/// One hub connection's mailbox: a bounded queue that <see cref="FanOut"/> fills without waiting,
/// and a pump that sends from it to this connection only, in order — so a slow client slows
/// nobody but itself, and when its queue is full it is dropped and told to resume.
/// <see cref="ResumeAsync"/> joins history to live: it attaches to the stream at seq H, replays
/// what the caller may see after its last seq up to H from the outbox, then lets the pump send
/// the live events, all after H — no gap, no duplicate at the seam.
/// </summary>
public sealed class Subscriber(
    HubCallerContext connection, CurrentUser user, FanOut fanOut, History history,
    IHubContext<DispatchHub, IDispatchClient> hub, LiveLimits limits, LiveOptions options, ILogger log)
{
    readonly SemaphoreSlim _resuming = new(1, 1);
    Channel<LiveEvent> _mailbox = NewMailbox(options);
    CancellationTokenSource? _pumpStop;
    Task _pump = Task.CompletedTask;
    long _lastOffered;
    readonly bool _isField = user.Is(Roles.Field);

    public CurrentUser User => user;
    IDispatchClient Client => hub.Clients.Client(connection.ConnectionId);

    /// <summary>Called by <see cref="FanOut"/> under its lock; false when the mailbox is full.</summary>
    internal bool Offer(Published e)
    {
        // An event can match twice (by region and as assigned staff): it is queued once.
        if (e.Seq == _lastOffered) return true;
        if (!e.ToField && _isField && !e.StaffIds.Contains(user.StaffId ?? 0)) return true;
        _lastOffered = e.Seq;
        return _mailbox.Writer.TryWrite(e.Event);
    }

    public async Task<ResumeResult> ResumeAsync(long? lastSeq, CancellationToken ct)
    {
        await _resuming.WaitAsync(ct);
        try
        {
            await StopPumpAsync();
            _mailbox = NewMailbox(options);
            var head = fanOut.Attach(this);

            if (lastSeq is { } after && after < head)
            {
                if (await history.OldestAsync(ct) is { } oldest && oldest > after + 1)
                {
                    // History before `oldest` is purged: a replay would have a hole in it.
                    Drop("history-gone");
                    return new ResumeResult(head);
                }
                using var turn = await limits.ReplayTurnAsync(user.Username, ct);
                if (!turn.IsAcquired) throw new HubException("同一账号同时补发事件的连接过多，请稍后重试。");
                var replayed = 0;
                for (var from = after; ;)
                {
                    var page = await history.VisiblePageAsync(user, from, head, options.ReplayPageSize, ct);
                    if (!limits.TakeReplayed(user.Username, page.Count))
                    {
                        // This account has had its share of replays for now: the client reloads over REST instead.
                        Drop("replay-limit");
                        return new ResumeResult(head);
                    }
                    foreach (var e in page) await Client.Event(e.Event);
                    replayed += page.Count;
                    if (page.Count < options.ReplayPageSize) break;
                    from = page[^1].Seq;
                    if (replayed > options.MaxReplay)
                    {
                        Drop("history-too-long");
                        return new ResumeResult(head);
                    }
                }
            }

            // The client may already have seen beyond this server's head (it resumed here from a server
            // that was ahead): live events up to what it saw would be duplicates.
            var floor = Math.Max(head, lastSeq ?? head);
            _pumpStop = new CancellationTokenSource();
            _pump = PumpAsync(_mailbox.Reader, floor, _pumpStop.Token);
            return new ResumeResult(floor);
        }
        finally { _resuming.Release(); }
    }

    async Task PumpAsync(ChannelReader<LiveEvent> mailbox, long floor, CancellationToken ct)
    {
        try
        {
            await foreach (var e in mailbox.ReadAllAsync(ct))
                if (e.Seq > floor) await Client.Event(e);
        }
        catch (OperationCanceledException) { }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            log.LogDebug(e, "Live connection {Connection} went away while sending", connection.ConnectionId);
        }
    }

    /// <summary>Tells the client to resynchronise and closes the connection; it reconnects and resumes.</summary>
    internal void Drop(string reason)
    {
        log.LogWarning("实时连接 {Connection}（{User}）跟不上事件流，断开并要求重新同步：{Reason}", connection.ConnectionId, user.Username, reason);
        fanOut.Detach(this);
        _mailbox.Writer.TryComplete();
        // Best effort: a stalled client will not read it, and the abort below is what counts.
        _ = Client.Resync(reason).ContinueWith(_ => { }, TaskScheduler.Default);
        connection.Abort();
    }

    public Task CloseAsync() => StopPumpAsync();

    async Task StopPumpAsync()
    {
        fanOut.Detach(this);
        _mailbox.Writer.TryComplete();
        if (_pumpStop is not null) await _pumpStop.CancelAsync();
        await _pump;
        _pumpStop?.Dispose();
        _pumpStop = null;
    }

    static Channel<LiveEvent> NewMailbox(LiveOptions options) =>
        Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(options.MailboxCapacity) { SingleReader = true, SingleWriter = true });
}
