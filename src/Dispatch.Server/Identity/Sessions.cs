using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;

namespace Dispatch.Server.Identity;

/// <summary>Why a session ended (the <c>user_session.ended_reason</c> values).</summary>
public static class SessionEnd
{
    public const string Logout = "logout";
    public const string Password = "password";
    public const string Disabled = "disabled";
    public const string Admin = "admin";
    public const string SecondFactor = "second-factor";
}

/// <summary>
/// Sessions kept on the server. A cookie or bearer token is honoured only while the session it
/// names is open in <c>user_session</c> and was used within the session lifetime; ending the row
/// ends the cookie, the token and (through <see cref="SessionRevocations"/>) the live connections
/// signed in with them, on every node. A verdict is remembered for <see cref="RecheckEvery"/>,
/// so a busy session costs one indexed update per half minute rather than one per request, and
/// that same update slides the session's expiry.
/// </summary>
public sealed class Sessions(NpgsqlDataSource db, IConfiguration config, ILogger<Sessions> log)
{
    public const string Claim = "dispatch:session";
    public static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(30);

    readonly TimeSpan _lifetime = config.GetValue("Identity:SessionLifetime", TimeSpan.FromHours(12));
    readonly MemoryCache _verdicts = new(new MemoryCacheOptions { SizeLimit = 200_000 });

    /// <summary>The session a principal's cookie or token names, if any.</summary>
    public static Guid? IdOf(ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(Claim), out var id) ? id : null;

    /// <summary>A session as the gate sees it: open or not, and whether it was opened with a second factor.</summary>
    public readonly record struct Verdict(bool Open, bool SecondFactor);

    public async Task<Guid> OpenAsync(string username, bool secondFactor, HttpContext http, CancellationToken ct)
    {
        var id = Guid.NewGuid();
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO user_session (id, username, second_factor, address, user_agent)
            VALUES (@id, @username, @secondFactor, @address, @userAgent)
            """, new
        {
            id, username, secondFactor,
            address = http.Connection.RemoteIpAddress?.ToString(),
            userAgent = Bounded.Text(http.Request.Headers.UserAgent.ToString(), 200),
        }, cancellationToken: ct));
        Remember(id, new Verdict(true, secondFactor));
        return id;
    }

    /// <summary>Whether the session is open for <paramref name="username"/>; slides its expiry when it is.</summary>
    public async ValueTask<Verdict> CheckAsync(Guid id, string username, CancellationToken ct)
    {
        if (_verdicts.TryGetValue(id, out Verdict known)) return known;
        await using var conn = await db.OpenConnectionAsync(ct);
        var secondFactor = await conn.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition("""
            UPDATE user_session SET last_seen_at = now()
            WHERE id = @id AND username = @username AND ended_at IS NULL AND last_seen_at > now() - make_interval(secs => @lifetime)
            RETURNING second_factor
            """, new { id, username, lifetime = _lifetime.TotalSeconds }, cancellationToken: ct));
        var verdict = new Verdict(secondFactor is not null, secondFactor ?? false);
        Remember(id, verdict);
        return verdict;
    }

    /// <summary>Ends one session (logout).</summary>
    public async Task EndAsync(Guid id, string reason, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE user_session SET ended_at = now(), ended_reason = @reason WHERE id = @id AND ended_at IS NULL",
            new { id, reason }, cancellationToken: ct));
        Forget(id);
    }

    /// <summary>
    /// Ends every open session of <paramref name="username"/> but <paramref name="keep"/>, inside
    /// <paramref name="tx"/> when given (so that it commits with the change that caused it).
    /// </summary>
    public static async Task<int> EndAllAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string username, string reason, Guid? keep, CancellationToken ct) =>
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE user_session SET ended_at = now(), ended_reason = @reason
            WHERE username = @username AND ended_at IS NULL AND id IS DISTINCT FROM @keep
            """, new { username, reason, keep }, tx, cancellationToken: ct));

    /// <summary>Marks the caller's own session as having passed the second factor (after enrolling in one).</summary>
    public async Task MarkSecondFactorAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("UPDATE user_session SET second_factor = true WHERE id = @id", new { id }, cancellationToken: ct));
        Forget(id);
    }

    /// <summary>Drops what this node remembers of a session; the next request asks the database.</summary>
    public void Forget(Guid id) => _verdicts.Remove(id);

    /// <summary>Forgets every verdict: after an interruption this node may have missed an end.</summary>
    public void ForgetAll()
    {
        _verdicts.Compact(1.0);
        log.LogDebug("Session verdicts cleared");
    }

    void Remember(Guid id, Verdict verdict) =>
        _verdicts.Set(id, verdict, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = RecheckEvery });
}

/// <summary>
/// Stands after authentication: a cookie or token whose session has ended (or that names none, as
/// those issued before sessions were kept do) makes the request anonymous, so that authorisation
/// answers 401; and a session without the second factor that the user's roles now require is
/// refused the same way. The cookie of a refused session is cleared.
/// </summary>
public sealed class SessionGate(RequestDelegate next, Sessions sessions, TwoFactorPolicy policy)
{
    /// <summary>Set on the context when a sign-in was refused here: why, for the 401's detail.</summary>
    public const string RefusalItem = "session.refused";

    public async Task InvokeAsync(HttpContext http)
    {
        if (http.User.Identity?.IsAuthenticated == true && await RefusalAsync(http) is { } reason)
        {
            http.User = new ClaimsPrincipal(new ClaimsIdentity());
            http.Items[RefusalItem] = reason;
            if (http.Request.Cookies.ContainsKey(IdentitySetup.CookieName)) http.Response.Cookies.Delete(IdentitySetup.CookieName);
        }
        await next(http);
    }

    async Task<string?> RefusalAsync(HttpContext http)
    {
        if (Sessions.IdOf(http.User) is not { } id) return "登录已失效，请重新登录。";
        var verdict = await sessions.CheckAsync(id, http.User.Identity!.Name ?? "", http.RequestAborted);
        if (!verdict.Open) return "登录已结束（已退出、密码已更改或账号被停用），请重新登录。";
        if (!verdict.SecondFactor && policy.Requires(http.User.FindAll(ClaimTypes.Role).Select(c => c.Value)))
            return "您的角色需要两步验证，请重新登录并输入验证码。";
        return null;
    }
}

/// <summary>
/// The live connections open on this node, by session and by user: so that an ended session's
/// connections close at once, and so that one user cannot hold more than the configured number.
/// </summary>
public sealed class LiveSessions
{
    readonly ConcurrentDictionary<string, (Guid? Session, string User, Action Abort)> _connections = new();

    public int CountFor(string username) => _connections.Values.Count(c => c.User == username);

    public void Add(string connectionId, Guid? session, string username, Action abort) => _connections[connectionId] = (session, username, abort);

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    public IReadOnlyCollection<Guid> OpenSessions() => _connections.Values.Where(c => c.Session is not null).Select(c => c.Session!.Value).ToHashSet();

    /// <summary>Closes every connection of the session; returns how many there were.</summary>
    public int Close(Guid session)
    {
        var closing = _connections.Where(c => c.Value.Session == session).ToList();
        foreach (var (id, c) in closing)
        {
            _connections.TryRemove(id, out _);
            c.Abort();
        }
        return closing.Count;
    }
}

/// <summary>
/// Hears, on a connection of its own, every session that ends anywhere (the trigger on
/// <c>user_session</c> notifies at commit): forgets it and closes its live connections on this
/// node. After an interruption it forgets every verdict and checks the sessions of the
/// connections still open, since an end may have come while it was not listening.
/// </summary>
public sealed class SessionRevocations(Database.DatabaseAddress address, NpgsqlDataSource db, Sessions sessions, LiveSessions live,
    Database.StartupState startup, ILogger<SessionRevocations> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        await startup.WhenReadyAsync(ct);
        for (var first = true; !ct.IsCancellationRequested; first = false)
        {
            try
            {
                var csb = new NpgsqlConnectionStringBuilder(address.ConnectionString) { Pooling = false, KeepAlive = 5, ApplicationName = "dispatch-sessions" };
                await using var conn = new NpgsqlConnection(csb.ConnectionString);
                await conn.OpenAsync(ct);
                conn.Notification += (_, e) => { if (Guid.TryParse(e.Payload, out var id)) Ended(id); };
                await conn.ExecuteAsync(new CommandDefinition("LISTEN dispatch_session_ended", cancellationToken: ct));
                if (!first) await SweepAsync(ct);
                while (!ct.IsCancellationRequested) await conn.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                log.LogWarning("会话失效通知中断，稍后重连：{Message}", e.Message);
                try { await Task.Delay(TimeSpan.FromSeconds(2), ct); } catch (OperationCanceledException) { }
            }
        }
    }

    void Ended(Guid id)
    {
        sessions.Forget(id);
        if (live.Close(id) is > 0 and var closed) log.LogInformation("会话 {Session} 已结束，关闭其 {Count} 个实时连接", id, closed);
    }

    async Task SweepAsync(CancellationToken ct)
    {
        sessions.ForgetAll();
        var open = live.OpenSessions().ToArray();
        if (open.Length == 0) return;
        await using var conn = await db.OpenConnectionAsync(ct);
        var ended = await conn.QueryAsync<Guid>(new CommandDefinition(
            "SELECT id FROM user_session WHERE id = ANY (@open) AND ended_at IS NOT NULL", new { open }, cancellationToken: ct));
        foreach (var id in ended) Ended(id);
    }
}
