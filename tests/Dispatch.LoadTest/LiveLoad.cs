using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.LoadTest;

/// <summary>
/// B4 and B5: live fan-out. Opens N hub connections in the scopes a city has — walls (city),
/// district and township dispatchers, field staff on their grids — resumes each, then files
/// incidents at a fixed rate (open loop, as <see cref="IntakeLoad"/>) and measures, for every
/// incident.created a client receives, the time from the report's transaction to its arrival
/// (the event's <c>at</c> is the transaction's timestamp on the same machine's clock). With
/// <c>--stalled P</c>, P % of extra connections resume and then never read again. Reports the
/// server's CPU and resident memory per connection when it can find the server's process.
/// </summary>
public static class LiveLoad
{
    sealed record Event(long Seq, string Type, DateTimeOffset At);

    public static async Task<int> RunAsync(Options o)
    {
        using var http = new HttpClient { BaseAddress = o.Url, Timeout = TimeSpan.FromSeconds(60) };
        var pid = o.ServerPid ?? FindServer(o.Url);
        var plan = await PlanAsync(http, o);
        Console.WriteLine($"B4/B5 live fan-out against {o.Url}: {o.Clients:N0} clients ({string.Join(", ", plan.GroupBy(p => p.Kind).Select(g => $"{g.Key} {g.Count()}"))}), " +
                          $"{o.StalledPercent}% more stalled, {o.Rate}/s for {o.Duration.TotalSeconds} s; server pid {pid?.ToString() ?? "unknown"}; {Environment.ProcessorCount} cores");

        var tokens = new Dictionary<string, string>();
        foreach (var user in plan.Select(p => p.User).Append("city.dispatcher").Distinct()) tokens[user] = await TokenAsync(http, user, o.Password);

        GC.Collect();
        var rssBefore = Rss(pid);
        var latencies = new double[64 << 20 >> 3]; // 8 M samples
        var count = 0L;
        var clients = new List<HubConnection>();
        var clock = Stopwatch.StartNew();
        using (var gate = new SemaphoreSlim(64))
            await Task.WhenAll(plan.Select(async p =>
            {
                await gate.WaitAsync();
                try
                {
                    var c = new HubConnectionBuilder()
                        .WithUrl(new Uri(o.Url, "/hubs/dispatch"), h => { h.AccessTokenProvider = () => Task.FromResult<string?>(tokens[p.User]); h.SkipNegotiation = true; h.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets; })
                        .Build();
                    c.On<Event>("Event", e =>
                    {
                        if (e.Type != "incident.created") return;
                        var i = Interlocked.Increment(ref count) - 1;
                        if (i < latencies.Length) latencies[i] = (DateTimeOffset.UtcNow - e.At).TotalMilliseconds;
                    });
                    await c.StartAsync();
                    await c.InvokeAsync<JsonElement>("Resume", (long?)null);
                    lock (clients) clients.Add(c);
                }
                finally { gate.Release(); }
            }));
        var stalled = new List<ClientWebSocket>();
        for (var i = 0; i < (int)Math.Round(o.Clients * o.StalledPercent / 100); i++) stalled.Add(await StalledAsync(o.Url, tokens[plan[i % plan.Count].User]));
        await Task.Delay(2000);
        var rssAfter = Rss(pid);
        Console.WriteLine($"connected {clients.Count:N0} (+{stalled.Count} stalled) in {clock.Elapsed.TotalSeconds:F1} s; server RSS {rssBefore / 1048576.0:F0} → {rssAfter / 1048576.0:F0} MB " +
                          $"= {(rssAfter - rssBefore) / 1024.0 / Math.Max(1, clients.Count + stalled.Count):F1} KB per connection");

        var cpuBefore = CpuSeconds(pid);
        var wall = Stopwatch.StartNew();
        var points = await IntakeLoad.ServicePointsAsync(Authorised(http, tokens["city.dispatcher"]));
        var posts = await IntakeLoad.StepAsync(http, points, o.Rate, o.Duration);
        await Task.Delay(3000); // the last events arrive
        var cpu = (CpuSeconds(pid) - cpuBefore) / wall.Elapsed.TotalSeconds;

        var n = (int)Math.Min(Interlocked.Read(ref count), latencies.Length);
        var sample = latencies[..n];
        Array.Sort(sample);
        double Q(double q) => n == 0 ? double.NaN : sample[(int)(q * (n - 1))];
        var open = clients.Count(c => c.State == HubConnectionState.Connected);
        Console.WriteLine("| clients | stalled | rate (/s) | events received | receive p50 ms | p99 ms | max ms | POST p50 ms | POST p99 ms | POST errors | server CPU (cores) | clients still connected |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| {clients.Count:N0} | {stalled.Count} | {o.Rate:N0} | {n:N0} | {Q(0.5):F1} | {Q(0.99):F1} | {(n == 0 ? 0 : sample[^1]):F1} | {posts.P50:F1} | {posts.P99:F1} | {posts.Errors} | {cpu:F2} | {open:N0} |");

        foreach (var c in clients) _ = c.DisposeAsync();
        foreach (var s in stalled) s.Abort();
        return 0;
    }

    sealed record Seat(string Kind, string User);

    /// <summary>
    /// A city's mix: walls 1 % (every wall receives every event), district dispatchers 5 %, township
    /// dispatchers 14 %, field staff 80 % (250 phones, each signed in several times).
    /// </summary>
    static async Task<List<Seat>> PlanAsync(HttpClient http, Options o)
    {
        Authorised(http, await TokenAsync(http, "city.dispatcher", o.Password));
        var city = await http.GetFromJsonAsync<JsonElement>("/api/regions/410600");
        var districts = city.GetProperty("children").EnumerateArray().Select(d => d.GetProperty("code").GetString()!).ToList();
        var townships = new List<string>();
        foreach (var d in districts)
            townships.AddRange((await http.GetFromJsonAsync<JsonElement>($"/api/regions/{d}")).GetProperty("children").EnumerateArray().Select(t => t.GetProperty("code").GetString()!));
        var grids = (await http.GetFromJsonAsync<JsonElement>("/api/service-points")).GetProperty("features").EnumerateArray()
            .Select(f => f.GetProperty("properties").GetProperty("gridCode").GetString()!).ToList();
        var field = Enumerable.Range(0, 250).Select(i => $"gw-{grids[i * grids.Count / 250]}").ToList();

        var seats = new List<Seat>();
        for (var i = 0; i < o.Clients; i++)
            seats.Add((i % 100) switch
            {
                < 1 => new Seat("wall", "wall"),
                < 6 => new Seat("district", $"dispatcher-{districts[i % districts.Count]}"),
                < 20 => new Seat("township", $"dispatcher-{townships[i % townships.Count]}"),
                _ => new Seat("field", field[i % field.Count]),
            });
        return seats;
    }

    static HttpClient Authorised(HttpClient http, string token)
    {
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return http;
    }

    static async Task<string> TokenAsync(HttpClient http, string user, string password)
    {
        using var response = await http.PostAsJsonAsync("/api/auth/login", new { username = user, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>A client that resumes and then never reads again.</summary>
    static async Task<ClientWebSocket> StalledAsync(Uri url, string token)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(url) { Scheme = "ws", Path = "/hubs/dispatch", Query = $"access_token={Uri.EscapeDataString(token)}" }.Uri, CancellationToken.None);
        foreach (var m in new[] { """{"protocol":"json","version":1}""", """{"type":1,"invocationId":"1","target":"Resume","arguments":[null]}""" })
            await socket.SendAsync(Encoding.UTF8.GetBytes(m + "\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);
        return socket;
    }

    /// <summary>The process listening on the server's port (from <c>ss -ltnp</c>), for its CPU and memory.</summary>
    static int? FindServer(Uri url)
    {
        try
        {
            using var ss = Process.Start(new ProcessStartInfo("ss", ["-ltnpH", $"sport = :{url.Port}"]) { RedirectStandardOutput = true })!;
            var match = System.Text.RegularExpressions.Regex.Match(ss.StandardOutput.ReadToEnd(), @"pid=(\d+)");
            return match.Success ? int.Parse(match.Groups[1].Value) : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }

    static string? TryRead(string path) { try { return File.ReadAllText(path); } catch (IOException) { return null; } catch (UnauthorizedAccessException) { return null; } }

    static long Rss(int? pid) =>
        pid is { } p && TryRead($"/proc/{p}/status") is { } status
            ? long.Parse(status.Split('\n').First(l => l.StartsWith("VmRSS:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024
            : 0;

    static double CpuSeconds(int? pid)
    {
        if (pid is not { } p || TryRead($"/proc/{p}/stat") is not { } stat) return 0;
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // utime + stime, in clock ticks of 1/100 s
    }
}
