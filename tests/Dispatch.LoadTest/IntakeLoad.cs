using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Dispatch.LoadTest;

/// <summary>
/// B3: incident intake under an open-loop load. Requests are sent on a fixed schedule whether or
/// not earlier ones have answered, and each latency is measured from its scheduled time, so a
/// stalled server shows up as latency instead of silently lowering the rate (no coordinated
/// omission). With <c>--ramp</c> the rate doubles every step until p99 passes 100 ms.
/// </summary>
public static class IntakeLoad
{
    static readonly string[] Categories = ["dispute.neighbour", "safety", "order", "service", "dispute.family", "accident"];

    public static async Task<int> RunAsync(Options o)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            { BaseAddress = o.Url, Timeout = TimeSpan.FromSeconds(30) };
        var login = await http.PostAsJsonAsync("/api/auth/login", new { username = o.User, password = o.Password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var points = await ServicePointsAsync(http);
        Console.WriteLine($"B3 intake against {o.Url} as {o.User}: {points.Count:N0} service points; {Environment.ProcessorCount} cores here");

        if (o.Db is { } db) Console.WriteLine($"anchor: single-row INSERT round trip p50 {await InsertAnchorAsync(db):F3} ms");
        Console.WriteLine("| rate (req/s) | sent | ok | errors | achieved (req/s) | p50 ms | p90 ms | p99 ms | max ms |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (var rate = o.Rate; ; rate *= 2)
        {
            var step = await StepAsync(http, points, rate, o.Duration);
            Console.WriteLine(step);
            if (!o.Ramp || step.P99 > 100 || step.Errors > step.Sent / 100) break;
        }
        return 0;
    }

    internal sealed record StepResult(double Rate, int Sent, int Ok, int Errors, double Achieved, double P50, double P90, double P99, double Max)
    {
        public override string ToString() => $"| {Rate:N0} | {Sent:N0} | {Ok:N0} | {Errors:N0} | {Achieved:N0} | {P50:F1} | {P90:F1} | {P99:F1} | {Max:F1} |";
    }

    internal static async Task<StepResult> StepAsync(HttpClient http, List<(double Lon, double Lat)> points, double rate, TimeSpan duration)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var latencies = new double[total];
        var ok = 0;
        var errors = 0;
        var random = new Random(42);
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
            var (lon, lat) = points[random.Next(points.Count)];
            var body = new
            {
                categoryCode = Categories[i % Categories.Length],
                description = $"压力测试事件 {i}",
                lon = lon + (random.NextDouble() - 0.5) * 1e-4,
                lat = lat + (random.NextDouble() - 0.5) * 1e-4,
            };
            var n = i;
            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    using var response = await http.PostAsJsonAsync("/api/incidents", body);
                    if ((int)response.StatusCode == 201) Interlocked.Increment(ref ok); else Interlocked.Increment(ref errors);
                }
                catch (HttpRequestException) { Interlocked.Increment(ref errors); }
                latencies[n] = (clock.Elapsed - due).TotalMilliseconds;
            }));
        }
        await Task.WhenAll(inFlight);
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        double Q(double q) => latencies[(int)(q * (latencies.Length - 1))];
        return new StepResult(rate, total, ok, errors, ok / elapsed, Q(0.5), Q(0.9), Q(0.99), latencies[^1]);
    }

    internal static async Task<List<(double, double)>> ServicePointsAsync(HttpClient http)
    {
        var json = await http.GetFromJsonAsync<JsonElement>("/api/service-points");
        return json.GetProperty("features").EnumerateArray()
            .Select(f => f.GetProperty("geometry").GetProperty("coordinates"))
            .Select(c => (c[0].GetDouble(), c[1].GetDouble())).ToList();
    }

    /// <summary>The anchor of docs/benchmarks.md: one single-row INSERT round trip on the same database.</summary>
    static async Task<double> InsertAnchorAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await new NpgsqlCommand("CREATE TEMP TABLE anchor (id bigint GENERATED ALWAYS AS IDENTITY, description text, at timestamptz DEFAULT now())", conn).ExecuteNonQueryAsync();
        await using var insert = new NpgsqlCommand("INSERT INTO anchor (description) VALUES ($1)", conn) { Parameters = { new() { Value = "x" } } };
        await insert.PrepareAsync();
        var times = new double[2000];
        for (var i = 0; i < times.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await insert.ExecuteNonQueryAsync();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return times[times.Length / 2];
    }
}
