using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Live;
using Dispatch.Tests.Resilience;
using Npgsql;
using Xunit.Abstractions;

namespace Dispatch.Tests.Live;

/// <summary>
/// The stream against what goes wrong in production, on servers run as separate processes: a
/// network cut, a server restart, a crash between commit and publish, and two servers sharing
/// one stream through Redis while the relaying one is killed. In each, a client ends with every
/// event it may see exactly once and in seq order — checked against the outbox itself.
/// </summary>
public sealed class StreamResilienceTests(ServerProcess server, ITestOutputHelper output) : IClassFixture<ServerProcess>
{
    const string Relaying = "本节点开始转发实时事件";

    [Fact]
    public async Task A_client_cut_off_for_five_seconds_while_four_writers_file_1000_reports_misses_nothing()
    {
        await EnsureRunningAsync();
        await using var proxy = new TcpProxy(server.Address);
        await using var client = await LiveClient.SignInAsync(server.Address, "wall", hub: proxy.Address);
        using var http = await SignInAsync(server.Address, "admin");

        var writing = Writers.FileAsync(http, await PlacesAsync(), 1000, writers: 4, seed: 11, pause: TimeSpan.FromMilliseconds(10));
        await Task.Delay(1500);
        await proxy.CutAsync(TimeSpan.FromSeconds(5));
        var filed = await ShowingServerAsync(writing);

        await AssertExactlyOnceInOrderAsync(client, "410600", filed);
        Assert.True(client.Reconnects >= 1, "the cut did not break the connection");
    }

    [Fact]
    public async Task A_client_whose_server_restarts_while_four_writers_file_1000_reports_misses_nothing()
    {
        await EnsureRunningAsync();
        await using var client = await LiveClient.SignInAsync(server.Address, "qibin.dispatcher");
        using var http = await SignInAsync(server.Address, "admin");

        var writing = Writers.FileAsync(http, await PlacesAsync(), 1000, writers: 4, seed: 12, pause: TimeSpan.FromMilliseconds(10));
        await Task.Delay(1500);
        await server.KillAsync();
        await server.StartAsync();
        var filed = await ShowingServerAsync(writing);

        await AssertExactlyOnceInOrderAsync(client, "410611", filed);
        Assert.True(client.Reconnects >= 1);
    }

    [Fact]
    public async Task Events_committed_while_no_relay_ran_are_published_after_the_crash()
    {
        // A server that commits but never publishes (its relay off) stands for a crash between the two.
        server.Environment["Live__Relay"] = "false";
        await RestartAsync();
        try
        {
            await using var client = await LiveClient.SignInAsync(server.Address, "wall");
            using var http = await SignInAsync(server.Address, "admin");
            var filed = await Writers.FileAsync(http, await PlacesAsync(), 20, writers: 2, seed: 13);

            await using (var conn = await server.OpenAsync())
            await using (var cmd = new NpgsqlCommand("SELECT count(*) FROM outbox WHERE seq IS NULL", conn))
                Assert.Equal(20L, (long)(await cmd.ExecuteScalarAsync())!);
            await Task.Delay(1000);
            Assert.Empty(client.Received);

            await server.KillAsync();
            server.Environment.Remove("Live__Relay");
            await server.StartAsync();
            await AssertExactlyOnceInOrderAsync(client, "410600", filed);
        }
        finally { server.Environment.Remove("Live__Relay"); }
    }

    [Fact]
    public async Task Two_servers_share_one_stream_through_redis_and_the_relay_moves_when_its_server_dies()
    {
        await using var redis = await RedisServer.StartAsync();
        if (server.IsRunning) await server.KillAsync(); // a node without Redis must not hold the relay here
        var env = new Dictionary<string, string> { ["Redis__Configuration"] = redis.Configuration, ["Live__StandbyPoll"] = "00:00:01" };
        await using var a = await server.AddNodeAsync(env);
        await WaitForAsync(() => a.Output.Contains(Relaying), TimeSpan.FromSeconds(20), "node A relaying");
        await using var b = await server.AddNodeAsync(env);
        Assert.DoesNotContain(Relaying, b.Output);

        await using var onA = await LiveClient.SignInAsync(a.Address, "wall");
        await using var onB = await LiveClient.SignInAsync(b.Address, "wall");
        using var viaA = await SignInAsync(a.Address, "admin");
        using var viaB = await SignInAsync(b.Address, "admin");
        var places = await PlacesAsync();

        // Each way round: a report through one server reaches the other's client, once.
        var throughB = await Writers.FileAsync(viaB, places, 1, writers: 1, seed: 14);
        var throughA = await Writers.FileAsync(viaA, places, 1, writers: 1, seed: 15);
        foreach (var client in new[] { onA, onB })
            await client.WaitForAsync(r => Writers.CreatedIds(r).Contains(throughB[0].Id) && Writers.CreatedIds(r).Contains(throughA[0].Id),
                TimeSpan.FromSeconds(10), "both reports");
        await Task.Delay(300);
        Assert.Single(Writers.CreatedIds(onA.Received), throughB[0].Id);
        Assert.Single(Writers.CreatedIds(onB.Received), throughA[0].Id);

        // Kill the relaying server while reports keep coming through the other: B relays within 10 s, nothing is lost.
        var writing = Writers.FileAsync(viaB, places, 200, writers: 2, seed: 16, pause: TimeSpan.FromMilliseconds(20));
        await Task.Delay(500);
        var killed = Stopwatch.StartNew();
        await a.KillAsync();
        await WaitForAsync(() => b.Output.Contains(Relaying), TimeSpan.FromSeconds(10), "node B taking over the relay");
        output.WriteLine($"relay moved {killed.Elapsed.TotalSeconds:F1} s after the kill");
        var filed = await writing;

        await AssertExactlyOnceInOrderAsync(onB, "410600", throughB.Concat(throughA).Concat(filed).ToList(), server);
    }

    // ---- helpers ----

    /// <summary>Runs the writers; if they fail, shows what the server said before it went.</summary>
    async Task<List<(long Id, string Grid)>> ShowingServerAsync(Task<List<(long Id, string Grid)>> writing)
    {
        try { return await writing; }
        catch (Exception) { output.WriteLine(string.Join("\n", server.Output.Split('\n').TakeLast(60))); throw; }
    }

    async Task EnsureRunningAsync()
    {
        if (!server.IsRunning) await server.StartAsync();
    }

    async Task RestartAsync()
    {
        if (server.IsRunning) await server.KillAsync();
        await server.StartAsync();
    }

    async Task<List<Place>> PlacesAsync()
    {
        await using var conn = await server.OpenAsync();
        return await TestKit.PlacesAsync(conn);
    }

    static async Task<HttpClient> SignInAsync(Uri address, string username)
    {
        var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        var response = await http.PostAsJsonAsync("/api/auth/login", new { username, password = PlatformFixture.Password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        for (var deadline = DateTime.UtcNow + timeout; !condition(); await Task.Delay(100))
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: not within {timeout}");
    }

    /// <summary>
    /// Waits for the reports filed, then checks the client's events against the outbox: exactly the
    /// events after its start that its region may see, each once, in seq order.
    /// </summary>
    async Task AssertExactlyOnceInOrderAsync(LiveClient client, string region, List<(long Id, string Grid)> filed, ServerProcess? db = null)
    {
        var expectedIncidents = filed.Where(f => Writers.Covers(region, f.Grid)).Select(f => f.Id).ToHashSet();
        await client.WaitForAsync(r => Writers.CreatedIds(r).Count(expectedIncidents.Contains) >= expectedIncidents.Count, TimeSpan.FromSeconds(60), "all reports");
        await Task.Delay(500);

        // Everything of the client's area, whatever its kind: these clients are not field phones, so
        // what is kept off phones (to_field false — alerts a burst like this one may raise) reaches them too.
        var expected = new List<long>();
        await using (var conn = await (db ?? server).OpenAsync())
        await using (var cmd = new NpgsqlCommand("SELECT seq, scope FROM outbox WHERE seq > $1 ORDER BY seq", conn) { Parameters = { new() { Value = client.StartSeq } } })
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync())
                if (Writers.Covers(region, r.GetString(1))) expected.Add(r.GetInt64(0));

        var received = client.Received.Select(e => e.Seq).ToList();
        Assert.Equal(received.Count, received.Distinct().Count());
        ScopeTests.AssertIncreasing(client.Received, "client");
        Assert.Equal(expected, received);
        Assert.Equal(expectedIncidents.Count, Writers.CreatedIds(client.Received).Count(expectedIncidents.Contains));
    }
}
