using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Xunit.Abstractions;

namespace Dispatch.Tests.Resilience;

/// <summary>
/// An acknowledged report is a committed one: a server killed mid-write loses nothing it answered
/// 201 to, and a retry with the same Idempotency-Key creates nothing twice. A database that goes
/// away costs a fast 503, not a hung caller, and its return needs no restart of the server.
/// </summary>
public sealed class KillAndRestartTests(ServerProcess server, ITestOutputHelper output) : IClassFixture<ServerProcess>
{
    const int Writers = 4;

    sealed record Attempt(string Key, object Body);

    async Task<HttpClient> SignInAsync()
    {
        var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(15) };
        var login = await http.PostAsJsonAsync("/api/auth/login", new { username = "city.dispatcher", password = PlatformFixture.Password });
        Assert.True(login.StatusCode == HttpStatusCode.OK, await login.Content.ReadAsStringAsync());
        http.DefaultRequestHeaders.Authorization = new("Bearer", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
        return http;
    }

    async Task<List<(double Lon, double Lat)>> PlacesAsync(int count)
    {
        await using var conn = await server.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT ST_X(service_point), ST_Y(service_point) FROM grid ORDER BY md5(code) LIMIT $1", conn)
            { Parameters = { new() { Value = count } } };
        var places = new List<(double, double)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) places.Add((r.GetDouble(0), r.GetDouble(1)));
        return places;
    }

    static Task<HttpResponseMessage> PostAsync(HttpClient http, Attempt attempt)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/incidents") { Content = JsonContent.Create(attempt.Body) };
        request.Headers.Add("Idempotency-Key", attempt.Key);
        return http.SendAsync(request);
    }

    static async Task<long> IdOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

    [Fact]
    public async Task Every_report_answered_201_survives_a_kill_9_and_retries_create_nothing_twice()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var places = await PlacesAsync(Writers * 8);
        using var http = await SignInAsync();
        var attempts = new ConcurrentQueue<Attempt>();
        var acknowledged = new ConcurrentDictionary<string, long>();
        var otherAnswers = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();

        async Task WriteAsync(int writer)
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var (lon, lat) = places[(writer * 8 + n) % places.Count];
                var attempt = new Attempt($"kill-{run}-{writer}-{n}", new { categoryCode = "accident", description = $"断电测试 {run} {writer}-{n}", lon, lat });
                attempts.Enqueue(attempt);
                try
                {
                    var response = await PostAsync(http, attempt);
                    if (response.StatusCode == HttpStatusCode.Created) acknowledged[attempt.Key] = await IdOf(response);
                    else otherAnswers.Enqueue($"{attempt.Key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                catch (HttpRequestException) { } // the server died under this request: unknown outcome
                catch (TaskCanceledException) { }
                catch (IOException) { }
            }
        }

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteAsync(w))).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await server.KillAsync();
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.True(acknowledged.Count >= Writers, $"only {acknowledged.Count} reports were acknowledged before the kill\n{server.Output}");
        Assert.Empty(otherAnswers);

        output.WriteLine($"{attempts.Count} reports sent, {acknowledged.Count} acknowledged before the kill");

        var restart = Stopwatch.StartNew();
        await server.StartAsync();
        output.WriteLine($"ready again after {restart.Elapsed.TotalSeconds:F1} s");
        await using (var conn = await server.OpenAsync())
        await using (var find = new NpgsqlCommand("SELECT array_agg(id) FROM incident WHERE id = ANY ($1)", conn)
                         { Parameters = { new() { Value = acknowledged.Values.ToArray() } } })
        {
            var stored = (long[])(await find.ExecuteScalarAsync())!;
            Assert.Equal(acknowledged.Values.Order(), stored.Order());
        }

        // Every client retries whatever it sent, answered or not: the acknowledged get their incident back,
        // the rest are created now or found committed, and no key makes two.
        foreach (var attempt in attempts)
        {
            var response = await PostAsync(http, attempt);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{attempt.Key}: {await response.Content.ReadAsStringAsync()}");
            if (acknowledged.TryGetValue(attempt.Key, out var id)) Assert.Equal(id, await IdOf(response));
        }
        await using (var conn = await server.OpenAsync())
        await using (var count = new NpgsqlCommand("SELECT count(*) FROM incident WHERE description LIKE $1", conn)
                         { Parameters = { new() { Value = $"断电测试 {run} %" } } })
            Assert.Equal((long)attempts.Count, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Without_the_database_writes_fail_fast_with_503_and_recover_without_a_restart()
    {
        using var http = await SignInAsync();
        var (lon, lat) = (await PlacesAsync(1))[0];
        var body = new { categoryCode = "accident", description = "停库测试", lon, lat };
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/incidents", body)).StatusCode);
        var pid = server.ProcessId;

        await server.StopDatabaseAsync();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                var clock = Stopwatch.StartNew();
                var response = await http.PostAsJsonAsync("/api/incidents", body);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the 503 took {clock.Elapsed}");
                Assert.Equal("服务暂不可用", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
                Assert.True(response.Headers.RetryAfter is not null, "a 503 should say when to retry");
            }
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/health/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        }
        finally
        {
            await server.StartDatabaseAsync();
        }

        var recovered = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            status = (await http.PostAsJsonAsync("/api/incidents", body)).StatusCode;
            if (status != HttpStatusCode.Created) await Task.Delay(250);
        } while (status != HttpStatusCode.Created && recovered.Elapsed < TimeSpan.FromSeconds(15));
        Assert.Equal(HttpStatusCode.Created, status);
        output.WriteLine($"writes succeeded again {recovered.Elapsed.TotalSeconds:F1} s after the database was back");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
        Assert.True(server.IsRunning && server.ProcessId == pid, "the server process was restarted");
    }
}
