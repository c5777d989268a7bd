namespace Dispatch.Server.Live;

/// <summary>
/// This server's end of the stream: takes the relayed events in seq order, fills any gap from the
/// outbox (seq is gap-free over everything, so a missing number is a lost message — a dropped Redis
/// message, a relay that died mid-batch), and hands each event to the mailbox of every connection
/// that may see it. Handing over never waits: a mailbox that is full is dropped, so that one
/// stalled client cannot hold up the others or the writers.
/// </summary>
public sealed class FanOut(History history, ILogger<FanOut> log)
{
    readonly object _gate = new();
    readonly SemaphoreSlim _receiving = new(1, 1);
    // Connections by the keys events are routed on: the region a user's rights are bounded by, and
    // the staff member a field user is.
    readonly Dictionary<string, HashSet<Subscriber>> _byRegion = new(StringComparer.Ordinal);
    readonly Dictionary<long, HashSet<Subscriber>> _byStaff = [];
    long _head = -1;
    readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The last seq handed to this server's connections; -1 until <see cref="StartAsync"/>.</summary>
    public long Head { get { lock (_gate) return _head; } }

    /// <summary>
    /// Completes once the stream has a head. Clients reconnect the moment a restarted server accepts
    /// connections, which can be before the database is ready: they wait here rather than fail.
    /// </summary>
    public Task Started => _started.Task;

    public int Connections { get { lock (_gate) return _byRegion.Values.Sum(s => s.Count); } }

    /// <summary>Starts at the outbox's head: a connection resuming from earlier replays from the outbox.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        var head = await history.HeadAsync(ct);
        lock (_gate) if (_head < 0) _head = head;
        _started.TrySetResult();
    }

    /// <summary>Events as relayed, in seq order; those already handed out are skipped, missing ones read from the outbox.</summary>
    public async Task ReceiveAsync(IReadOnlyList<Published> batch, CancellationToken ct)
    {
        await _receiving.WaitAsync(ct);
        try
        {
            foreach (var e in batch)
            {
                var head = Head;
                if (head < 0 || e.Seq <= head) continue;
                if (e.Seq > head + 1)
                {
                    log.LogWarning("事件流缺少 {From}–{To}，从发件箱补齐", head + 1, e.Seq - 1);
                    foreach (var missing in await history.RangeAsync(head, e.Seq - 1, ct)) Deliver(missing);
                }
                Deliver(e);
            }
        }
        finally { _receiving.Release(); }
    }

    /// <summary>Catches up from the outbox when the stream went quiet behind it (a message lost at the end of a burst).</summary>
    public async Task CatchUpAsync(CancellationToken ct)
    {
        var head = Head;
        if (head < 0) return;
        var latest = await history.HeadAsync(ct);
        if (latest > head) await ReceiveAsync(await history.RangeAsync(head, latest, ct), ct);
    }

    /// <summary>
    /// Routes a subscriber's future events to <paramref name="mailbox"/> and returns the seq they
    /// start after: everything up to it must come from the outbox, everything after from here.
    /// </summary>
    public long Attach(Subscriber subscriber)
    {
        lock (_gate)
        {
            if (_head < 0) throw new InvalidOperationException("The live stream has not started.");
            Add(_byRegion, subscriber.User.RegionCode, subscriber);
            if (subscriber.User.StaffId is { } staff) Add(_byStaff, staff, subscriber);
            return _head;
        }
    }

    public void Detach(Subscriber subscriber)
    {
        lock (_gate)
        {
            Remove(_byRegion, subscriber.User.RegionCode, subscriber);
            if (subscriber.User.StaffId is { } staff) Remove(_byStaff, staff, subscriber);
        }
    }

    void Deliver(Published e)
    {
        List<Subscriber>? overflowed = null;
        lock (_gate)
        {
            // Users whose region contains the scope: codes nest by prefix (district 6 digits, township
            // 9, village 12, grid 15), and the city sees everything.
            Offer(_byRegion.GetValueOrDefault(CurrentUser.CityCode), e, ref overflowed);
            foreach (var length in RegionLengths)
                if (e.Scope.Length >= length && e.Scope[..length] is var prefix && prefix != CurrentUser.CityCode)
                    Offer(_byRegion.GetValueOrDefault(prefix), e, ref overflowed);
            // The other regions that hold the case, exactly (a transferee's district does not read it over REST either).
            foreach (var region in e.AlsoScopes ?? []) Offer(_byRegion.GetValueOrDefault(region), e, ref overflowed);
            foreach (var staff in e.StaffIds) Offer(_byStaff.GetValueOrDefault(staff), e, ref overflowed);
            _head = e.Seq;
        }
        foreach (var subscriber in overflowed ?? [])
        {
            Detach(subscriber);
            subscriber.Drop("too-slow");
        }
    }

    static readonly int[] RegionLengths = [6, 9, 12, 15];

    static void Offer(HashSet<Subscriber>? subscribers, Published e, ref List<Subscriber>? overflowed)
    {
        if (subscribers is null) return;
        foreach (var s in subscribers)
            if (!s.Offer(e)) (overflowed ??= []).Add(s);
    }

    static void Add<TKey>(Dictionary<TKey, HashSet<Subscriber>> index, TKey key, Subscriber s) where TKey : notnull
    {
        if (!index.TryGetValue(key, out var set)) index[key] = set = [];
        set.Add(s);
    }

    static void Remove<TKey>(Dictionary<TKey, HashSet<Subscriber>> index, TKey key, Subscriber s) where TKey : notnull
    {
        if (index.TryGetValue(key, out var set) && set.Remove(s) && set.Count == 0) index.Remove(key);
    }
}
