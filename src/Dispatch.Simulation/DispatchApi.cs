using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Polly;
using Polly.Retry;

namespace Dispatch.Simulation;

/// <summary>A demo account signed in over the API; the token is renewed when the server stops accepting it.</summary>
public sealed class Session(string username)
{
    public string Username => username;
    internal string Token { get; set; } = "";
    internal readonly SemaphoreSlim Renewing = new(1, 1);
}

/// <summary>An answer of the API: its status, the body when it succeeded, the problem's title when not.</summary>
public readonly record struct Reply<T>(HttpStatusCode Status, T? Value, string? Problem)
{
    public bool Ok => (int)Status is >= 200 and < 300;
    /// <summary>Someone else acted first (409 not allowed from the status now, 412 stale version): re-read and carry on.</summary>
    public bool Lost => Status is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed;
}

/// <summary>
/// The public HTTP API as the simulated people use it: bearer tokens, <c>If-Match</c> versions and
/// <c>Idempotency-Key</c>s. Network failures, 502–504 and 429 are retried with exponential
/// back-off and jitter (Polly), the same request with the same key each time; a 401 renews the
/// token once. A bounded number of requests are in flight at once, so a slow server slows the
/// city down instead of drowning in it.
/// </summary>
public sealed class DispatchApi : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
        { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    readonly HttpClient _http;
    readonly SemaphoreSlim _slots;
    readonly string _password;
    readonly SimulationStats _stats;
    readonly ResiliencePipeline<HttpResponseMessage> _retry;

    public DispatchApi(Uri server, string password, int maxConcurrent, SimulationStats stats)
    {
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        _slots = new SemaphoreSlim(maxConcurrent);
        _password = password;
        _stats = stats;
        _retry = new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
            {
                { Exception: HttpRequestException } => true,
                { Exception: TaskCanceledException } => !args.Context.CancellationToken.IsCancellationRequested, // a timeout
                { Result.StatusCode: HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout
                    or HttpStatusCode.TooManyRequests } => true,
                _ => false,
            }),
            MaxRetryAttempts = 8,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(500),
            MaxDelay = TimeSpan.FromSeconds(30),
            OnRetry = args =>
            {
                args.Outcome.Result?.Dispose();
                _stats.Retried();
                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    /// <summary>Signs in; null when the server refuses the account (wrong password, locked), which is not retried.</summary>
    public async Task<Session?> SignInAsync(string username, CancellationToken ct)
    {
        var session = new Session(username);
        return await RenewAsync(session, ct) ? session : null;
    }

    public Task<Reply<T>> GetAsync<T>(Session session, string path, CancellationToken ct) =>
        SendAsync<T>(session, HttpMethod.Get, path, null, null, null, ct);

    public Task<Reply<T>> PostAsync<T>(Session session, string path, object body, CancellationToken ct, int? ifMatch = null, string? idempotencyKey = null) =>
        SendAsync<T>(session, HttpMethod.Post, path, body, ifMatch, idempotencyKey, ct);

    async Task<Reply<T>> SendAsync<T>(Session session, HttpMethod method, string path, object? body, int? ifMatch, string? key, CancellationToken ct)
    {
        for (var renewed = false; ; renewed = true)
        {
            var token = session.Token;
            using var response = await SendWithRetryAsync(() =>
            {
                var request = new HttpRequestMessage(method, path);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                if (ifMatch is { } version) request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version}\""));
                if (key is not null) request.Headers.Add("Idempotency-Key", key);
                if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: Json);
                return request;
            }, ct);
            if (response.StatusCode == HttpStatusCode.Unauthorized && !renewed && await RenewAsync(session, ct, token)) continue;
            if (!response.IsSuccessStatusCode)
                return new Reply<T>(response.StatusCode, default, await ProblemTitleAsync(response, ct));
            var value = typeof(T) == typeof(string)
                ? (T)(object)await response.Content.ReadAsStringAsync(ct)
                : await response.Content.ReadFromJsonAsync<T>(Json, ct);
            return new Reply<T>(response.StatusCode, value, null);
        }
    }

    /// <summary>Signs the session in again, unless another request already did since <paramref name="stale"/> was current.</summary>
    async Task<bool> RenewAsync(Session session, CancellationToken ct, string? stale = null)
    {
        await session.Renewing.WaitAsync(ct);
        try
        {
            if (stale is not null && session.Token != stale) return true;
            using var response = await SendWithRetryAsync(() => new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
                { Content = JsonContent.Create(new { username = session.Username, password = _password }, options: Json) }, ct);
            // A refused account (wrong password, locked) is not retried: more tries would lock it.
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests or HttpStatusCode.BadRequest)
                return false;
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException($"sign-in of {session.Username}: {await ProblemTitleAsync(response, ct)}", null, response.StatusCode);
            session.Token = (await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct)).GetProperty("token").GetString()!;
            _stats.SignedIn();
            return true;
        }
        finally { session.Renewing.Release(); }
    }

    async Task<HttpResponseMessage> SendWithRetryAsync(Func<HttpRequestMessage> request, CancellationToken ct) =>
        await _retry.ExecuteAsync(async token =>
        {
            await _slots.WaitAsync(token);
            try
            {
                using var message = request();
                return await _http.SendAsync(message, token);
            }
            finally { _slots.Release(); }
        }, ct);

    /// <summary>The problem's title and status (never its detail: details may quote what was sent).</summary>
    static async Task<string> ProblemTitleAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
            return problem.TryGetProperty("title", out var title) ? $"{(int)response.StatusCode} {title.GetString()}" : $"{(int)response.StatusCode}";
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            return $"{(int)response.StatusCode} {response.ReasonPhrase}";
        }
    }

    public void Dispose() => _http.Dispose();
}
