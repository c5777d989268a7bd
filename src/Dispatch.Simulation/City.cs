using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Dispatch.Simulation;

/// <summary>
/// What the simulated people share: the API, the clock, the map, the categories, the counters, and
/// the background work they start (each waiting person is a task, awaited when the city stops).
/// </summary>
public sealed class City(DispatchApi api, SimClock clock, SimulationStats stats, GridAtlas atlas,
    IReadOnlyDictionary<string, CategoryDto> categories, SimulationOptions options, ILogger log, CancellationToken stopping)
{
    readonly ConcurrentDictionary<long, Task> _work = new();
    readonly ConcurrentDictionary<string, Lazy<Task<Session?>>> _centres = new();
    long _nextWork;
    long _warnWindow, _warnings;

    public DispatchApi Api => api;
    public SimClock Clock => clock;
    public SimulationStats Stats => stats;
    public GridAtlas Atlas => atlas;
    public IReadOnlyDictionary<string, CategoryDto> Categories => categories;
    public Dictionary<string, Dispatcher> Dispatchers { get; } = [];
    public FieldStaff Field { get; set; } = null!;
    public CancellationToken Stopping => stopping;
    public SimulationOptions Options => options;

    /// <summary>The category's SLA clocks and roles (one added since the start reads as the first category).</summary>
    public CategoryDto Category(string code) => categories.TryGetValue(code, out var c) ? c : categories.Values.First();

    /// <summary>A random stream for one decision about one thing: the same seed and thing give the same choice.</summary>
    public Random RandomFor(long thing, int decision)
    {
        // SplitMix64 over (seed, thing, decision), so that neighbouring ids give unrelated streams; a
        // Mersenne Twister from there (System.Random's seeded generator is the legacy one).
        ulong z = 0;
        foreach (var part in new[] { (ulong)options.Seed, (ulong)thing, (ulong)decision })
        {
            z = unchecked(z + part + 0x9E3779B97F4A7C15UL);
            z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
            z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
            z ^= z >> 31;
        }
        return new MathNet.Numerics.Random.MersenneTwister((int)(z & int.MaxValue), threadSafe: false);
    }

    /// <summary>Starts a piece of background work: a person waiting to act. Failures are counted, never thrown.</summary>
    public void Spawn(Func<CancellationToken, Task> work)
    {
        var id = Interlocked.Increment(ref _nextWork);
        _work[id] = Task.Run(async () =>
        {
            try { await work(stopping); }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested) { }
            catch (Exception e) { Warn($"{e.GetType().Name}: {e.Message}"); }
            finally { _work.TryRemove(id, out _); }
        });
    }

    /// <summary>Waits for the background work to notice the stop.</summary>
    public Task DrainAsync() => Task.WhenAll(_work.Values.ToArray());

    /// <summary>
    /// Judges a failed answer: a lost race (409/412) is normal and only counted; anything else is an
    /// error worth a warning (404 included: the simulated people only touch what is theirs).
    /// </summary>
    public void Failed<T>(string what, Reply<T> reply)
    {
        if (reply.Lost) { stats.RaceLost(); return; }
        Warn($"{what}: {reply.Problem}");
    }

    /// <summary>
    /// The session of the incident's responsible centre (四级综治中心: only it acts on the case),
    /// signed in once as <c>dispatcher-&lt;code&gt;</c> (the city's as city.dispatcher); the district's own
    /// <paramref name="district"/> when the incident names none or the account is refused.
    /// </summary>
    public async Task<Session> CentreAsync(IncidentDto incident, Session district)
    {
        if (incident.CentreCode is not { } code) return district;
        var username = code == "410600" ? "city.dispatcher" : $"dispatcher-{code}";
        if (username == district.Username) return district;
        var lazy = _centres.GetOrAdd(username, name => new Lazy<Task<Session?>>(async () =>
        {
            var session = await api.SignInAsync(name, stopping);
            if (session is null) Warn($"{name} cannot sign in (password?)");
            return session;
        }));
        try { return await lazy.Value ?? district; }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _centres.TryRemove(KeyValuePair.Create(username, lazy)); // a network failure: try again next time
            throw;
        }
    }

    public Task<Reply<IncidentDto>> ReadAsync(Session session, long id, CancellationToken ct) =>
        api.GetAsync<IncidentDto>(session, $"/api/incidents/{id}", ct);

    /// <summary>One step of the lifecycle with the version the actor read; counted when it happens.</summary>
    public async Task<Reply<IncidentDto>> StepAsync(Session session, IncidentDto incident, IncidentAction action, CancellationToken ct,
        string? note = null, long[]? staffIds = null, (double Lon, double Lat)? at = null)
    {
        var reply = await api.PostAsync<IncidentDto>(session, $"/api/incidents/{incident.Id}/transitions",
            new TransitionBody(action.Wire(), note, staffIds, at?.Lon, at?.Lat), ct, ifMatch: incident.Version);
        if (reply.Ok) stats.Transitioned(action);
        return reply;
    }

    /// <summary>An error: counted, and logged unless there have been more than ten this minute (no spam when the server is down).</summary>
    public void Warn(string message)
    {
        stats.Error();
        var minute = (long)(DateTime.UtcNow - DateTime.UnixEpoch).TotalMinutes;
        if (Interlocked.Exchange(ref _warnWindow, minute) != minute) Interlocked.Exchange(ref _warnings, 0);
        var n = Interlocked.Increment(ref _warnings);
        if (n <= 10) log.LogWarning("Simulation: {Problem}", message);
        else if (n == 11) log.LogWarning("Simulation: more errors this minute; see the error count of the progress line");
    }
}
