using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Dispatch.Tests.Live;

/// <summary>
/// Done-when 4 of the live stream, as a test: a client that stops reading is dropped and told to
/// resume; meanwhile the others receive everything and the writers are answered promptly; and
/// afterwards it resumes with nothing lost. (The latency comparison, with and without the stalled
/// client, is measured by the load tool: B5 in docs/performance.md.)
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SlowClientTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_client_that_stops_reading_is_dropped_without_slowing_others_and_resumes_without_loss()
    {
        await using var healthy = await LiveClient.SignInAsync(platform.Address, "city.dispatcher");
        var token = await TokenAsync("wall");
        using var stalled = await StalledClientAsync(token);
        var start = healthy.StartSeq;

        // 20,000 events of 1.5 kB (30 MB: more than any socket buffers between the server and a client
        // that has stopped reading), written as a burst straight into the outbox.
        const int Count = 20_000;
        await platform.QueryScalarAsync<long>($"""
            WITH added AS (INSERT INTO outbox (type, scope, data)
                SELECT 'test.load', '410602', jsonb_build_object('n', n, 'pad', repeat('x', 1500)) FROM generate_series(1, {Count}) n RETURNING 1)
            SELECT count(*) FROM added
            """);

        // A report filed during the burst is answered promptly.
        var place = (await TestKit.PlacesAsync(platform.Db))[100];
        var clock = Stopwatch.StartNew();
        await TestKit.ReportAsync(platform.Http, place, "safety", "井盖缺失"); // insists on 201 Created
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the report took {clock.Elapsed.TotalSeconds:F1} s");

        // The healthy client gets all of it while the stalled one is dropped.
        await healthy.WaitForAsync(r => r.Count(e => e.Type == "test.load") >= Count, TimeSpan.FromSeconds(60), "the burst");
        var closed = await WaitClosedAsync(stalled, TimeSpan.FromSeconds(30));
        Assert.True(closed, "the stalled client was never dropped");

        // It comes back and resumes from where it was: all 20,000 and the report, once each, in order.
        await using var back = await LiveClient.ConnectAsync(platform.Address, token, start);
        await back.WaitForAsync(r => r.Count(e => e.Type == "test.load") >= Count && Writers.CreatedIds(r).Count > 0, TimeSpan.FromSeconds(60), "the resumed client");
        var received = back.Received;
        Assert.Equal(received.Count, received.Select(e => e.Seq).Distinct().Count());
        ScopeTests.AssertIncreasing(received, "resumed client");
        Assert.Equal(healthy.Received.Where(e => e.Seq > start).Select(e => e.Seq), received.Where(e => e.Seq <= healthy.LastSeq).Select(e => e.Seq));
    }

    /// <summary>Connects over a raw WebSocket, resumes, then never reads again.</summary>
    async Task<ClientWebSocket> StalledClientAsync(string token)
    {
        var socket = new ClientWebSocket();
        var uri = new UriBuilder(platform.Address) { Scheme = "ws", Path = "/hubs/dispatch", Query = $"access_token={Uri.EscapeDataString(token)}" }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);
        await SendAsync(socket, """{"protocol":"json","version":1}""");
        await SendAsync(socket, """{"type":1,"invocationId":"1","target":"Resume","arguments":[null]}""");
        // Read up to the answer to Resume; after that, nothing.
        var buffer = new byte[64 << 10];
        var text = new StringBuilder();
        while (!text.ToString().Contains("\"invocationId\":\"1\""))
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
        return socket;
    }

    static Task SendAsync(ClientWebSocket socket, string message) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message + "\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Whether the server closed the connection: draining what it had sent ends in a close or a reset.</summary>
    static async Task<bool> WaitClosedAsync(ClientWebSocket socket, TimeSpan timeout)
    {
        using var stop = new CancellationTokenSource(timeout);
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, stop.Token);
                if (result.MessageType == WebSocketMessageType.Close) return true;
            }
        }
        catch (WebSocketException) { return true; }
        catch (OperationCanceledException) { return false; }
    }

    async Task<string> TokenAsync(string username)
    {
        var response = await platform.Anonymous.PostAsJsonAsync("/api/auth/login", new { username, password = PlatformFixture.Password });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }
}
