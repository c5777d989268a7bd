using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Live;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Tests.Live;

/// <summary>
/// A hub client as the screens use it: keeps the last seq it saw, resumes from it on every
/// reconnect, retries forever. Keeps every event it was sent, duplicates included, so that a
/// test can tell "exactly once" from "at least once".
/// </summary>
public sealed class LiveClient : IAsyncDisposable
{
    readonly HubConnection _connection;
    readonly List<LiveEvent> _received = [];
    readonly List<string> _resyncs = [];
    long _lastSeq;
    volatile bool _disposed;

    LiveClient(Uri server, string token)
    {
        _connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server, LiveSetup.HubPath), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .WithAutomaticReconnect(new Forever())
            .Build();
        _connection.On<LiveEvent>("Event", e =>
        {
            lock (_received)
            {
                _received.Add(e);
                _lastSeq = Math.Max(_lastSeq, e.Seq);
            }
        });
        _connection.On<string>("Resync", reason => { lock (_resyncs) _resyncs.Add(reason); });
        _connection.Reconnected += async connectionId =>
        {
            Reconnects++;
            try { await ResumeAsync(LastSeq); }
            catch (Exception) { _ = StartOverAsync(); } // as the screens do: a connection that could not resume is no use
        };
    }

    public static async Task<LiveClient> ConnectAsync(Uri server, string token, long? lastSeq = null)
    {
        var client = new LiveClient(server, token);
        await client._connection.StartAsync();
        client.StartSeq = await client.ResumeAsync(lastSeq);
        return client;
    }

    /// <summary>Signs <paramref name="username"/> in at <paramref name="server"/> and connects as them, resuming after <paramref name="lastSeq"/> when given.</summary>
    public static async Task<LiveClient> SignInAsync(Uri server, string username, Uri? hub = null, long? lastSeq = null)
    {
        using var http = new HttpClient { BaseAddress = server };
        var response = await http.PostAsJsonAsync("/api/auth/login", new { username, password = PlatformFixture.Password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        return await ConnectAsync(hub ?? server, token, lastSeq);
    }

    /// <summary>The seq the first Resume answered: everything after it is this client's to receive.</summary>
    public long StartSeq { get; private set; }
    public int Reconnects { get; private set; }
    public HubConnectionState State => _connection.State;

    public long LastSeq { get { lock (_received) return _lastSeq; } }

    public List<LiveEvent> Received { get { lock (_received) return [.. _received]; } }
    public List<string> Resyncs { get { lock (_resyncs) return [.. _resyncs]; } }

    /// <summary>Resumes after <paramref name="lastSeq"/>; what the server answers is where the next resume starts if nothing else comes.</summary>
    public async Task<long> ResumeAsync(long? lastSeq)
    {
        var seq = (await _connection.InvokeAsync<ResumeResult>("Resume", lastSeq)).Seq;
        lock (_received) _lastSeq = Math.Max(_lastSeq, seq);
        return seq;
    }

    async Task StartOverAsync()
    {
        await _connection.StopAsync();
        for (var attempt = 1; !_disposed; attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * attempt)));
            try
            {
                await _connection.StartAsync();
                await ResumeAsync(LastSeq);
                return;
            }
            catch (Exception) when (_connection.State != HubConnectionState.Disconnected) { await _connection.StopAsync(); }
            catch (Exception) { }
        }
    }

    /// <summary>Waits until this client has seen <paramref name="seq"/> or later (it may not see every seq: scopes differ).</summary>
    public async Task WaitForAsync(Func<List<LiveEvent>, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done(Received))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: not received within {timeout} (have {Received.Count}, last seq {LastSeq}, state {State})");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// The positive control of an absence: waits for the report of a <em>later</em> incident this
    /// client must see. Events reach a connection in seq order, so once it arrives, anything
    /// published before it would have arrived too — "not received" then means "not sent", not
    /// "not yet".
    /// </summary>
    public Task WaitForLaterIncidentAsync(long incidentId, string what) =>
        WaitForAsync(r => r.Any(e => e.Type == EventTypes.IncidentCreated && e.Data.GetProperty("id").GetInt64() == incidentId),
            TimeSpan.FromSeconds(15), $"{what} (the positive control)");

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return _connection.DisposeAsync();
    }

    sealed class Forever : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext context) => TimeSpan.FromMilliseconds(Math.Min(2000, 100 * (context.PreviousRetryCount + 1)));
    }
}
