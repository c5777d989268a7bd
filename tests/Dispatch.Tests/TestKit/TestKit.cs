using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Dispatch.Tests;

/// <summary>
/// What the tests share, one file per noun: places to report from (Places.cs), filing and reading
/// reports (Reports.cs), lifecycle steps (Steps.cs), staff (Staff.cs), and concurrent writers for the
/// live stream (Writers.cs). This part holds the clients and the reading of responses. Each account
/// signs in once per run: signing in costs a PBKDF2 hash.
/// </summary>
public sealed partial class TestKit(PlatformFixture platform)
{
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    public const string Dispatcher = "city.dispatcher";

    static readonly ConcurrentDictionary<string, Lazy<Task<HttpClient>>> Clients = new();

    public Task<HttpClient> ClientAsync(string username) =>
        Clients.GetOrAdd($"{platform.Address}|{username}", _ => new Lazy<Task<HttpClient>>(() => platform.SignInAsync(username))).Value;

    /// <summary>
    /// A client that is signed in as nobody and stays so: it keeps no cookies (the fixture's
    /// <c>Anonymous</c> client keeps the cookie of every sign-in made through it).
    /// </summary>
    public static HttpClient Stranger(Uri address) =>
        new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(1) };

    /// <summary>Reads the body as <typeparamref name="T"/> after checking the status, showing the body when the status is not the one expected.</summary>
    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected)
    {
        await ExpectAsync(response, expected);
        return (await response.Content.ReadFromJsonAsync<T>(Web))!;
    }

    public static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The response is a problem document (RFC 9457) with a Chinese title.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        await ExpectAsync(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", problem.GetProperty("title").GetString());
        return problem;
    }

    public Task<T> ScalarAsync<T>(string sql, params object[] parameters) => ScalarAsync<T>(platform.Db, sql, parameters);

    public static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql, params object[] parameters)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var p in parameters) cmd.Parameters.Add(new() { Value = p });
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
