using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Identity;
using Dispatch.Tests.Live;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Security;

/// <summary>
/// The attacks on sign-in (issue 10, findings 2, 3, 4, 7 and the enumeration of 11), each from an
/// address of its own, given the way a proxy on this machine gives it (<c>X-Forwarded-For</c>
/// from 127.0.0.1, a known proxy by default) — which also shows the audit records the real address.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SignInAttackTests(PlatformFixture platform) : IDisposable
{
    readonly HttpClient _stranger = TestKit.Stranger(platform.Address);

    public void Dispose() => _stranger.Dispose();

    Task<HttpResponseMessage> LoginAsync(string username, string password, string from)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { username, password }) };
        request.Headers.Add("X-Forwarded-For", from);
        return _stranger.SendAsync(request);
    }

    async Task<string> TokenAsync(string username, string from = "198.51.100.200")
    {
        using var response = await LoginAsync(username, PlatformFixture.Password, from);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    HttpClient Bearer(string token) =>
        new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = platform.Address, DefaultRequestHeaders = { Authorization = new("Bearer", token) } };

    [Fact]
    public async Task Whoever_keeps_failing_against_an_account_cannot_lock_its_owner_out()
    {
        var target = await TestKit.QuietGridWorkerAsync(platform.Db, 30);
        var refused = 0;
        for (var attempt = 0; attempt < 30; attempt++)
            if ((await LoginAsync(target, $"guess-{attempt}", "203.0.113.10")).StatusCode == HttpStatusCode.TooManyRequests) refused++;
        Assert.True(refused >= 20, $"only {refused} of 30 guesses were throttled");

        // The owner, at their own desk, is not held by the attacker's failures.
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(target, PlatformFixture.Password, "198.51.100.30")).StatusCode);
    }

    [Fact]
    public async Task Failures_leak_away_so_the_wait_ends_and_the_rule_is_a_backoff_not_a_lock()
    {
        var rule = new SignInOptions().Pair;
        Assert.Null(rule.WaitAfter(rule.Free - 1));
        Assert.Equal(rule.Base, rule.WaitAfter(rule.Free));
        Assert.NotNull(rule.WaitAfter(rule.Free - 0.001)); // the last free failure of a burst, its predecessors leaked a little
        Assert.Equal(rule.Base * 4, rule.WaitAfter(rule.Free + 2));
        Assert.Equal(rule.Cap, rule.WaitAfter(rule.Free + 1000)); // however long it goes on, never more than the cap
        Assert.Equal(0, rule.Decayed(rule.Free, rule.Leak * rule.Free));

        var target = await TestKit.QuietGridWorkerAsync(platform.Db, 31);
        for (var attempt = 0; attempt < 8; attempt++) await LoginAsync(target, "guess", "203.0.113.11");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(target, PlatformFixture.Password, "203.0.113.11")).StatusCode);
        // As if an hour had passed since those failures.
        await platform.QueryScalarAsync<int>($"UPDATE sign_in_throttle SET updated_at = now() - interval '1 hour', blocked_until = NULL WHERE key LIKE '%{target}%' OR key = 'address:203.0.113.11' RETURNING 1");
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(target, PlatformFixture.Password, "203.0.113.11")).StatusCode);
    }

    [Fact]
    public async Task Forty_guesses_at_once_check_at_most_the_free_tries_and_the_success_clears_nobody_elses_failures()
    {
        var target = await TestKit.QuietGridWorkerAsync(platform.Db, 32);
        var guesses = Enumerable.Range(0, 40).Select(i => i == 20 ? PlatformFixture.Password : $"guess-{i}").ToArray();

        var answers = await Task.WhenAll(guesses.Select(async g => (await LoginAsync(target, g, "203.0.113.12")).StatusCode));

        // Every claim counts before its hash is checked, so concurrency buys nothing: at most the free
        // tries are wrong guesses checked (the right one, if it got through, gives back only its own claim).
        var wrongChecked = answers.Count(s => s == HttpStatusCode.Unauthorized);
        var rows = await platform.QueryScalarAsync<string>($"SELECT string_agg(key || '=' || score || ' ' || coalesce(blocked_until::text, '-'), '; ') FROM sign_in_throttle WHERE key LIKE '%{target}%' OR key LIKE '%203.0.113.12%'");
        Assert.True(wrongChecked <= new SignInOptions().Pair.Free, $"{wrongChecked} wrong passwords were checked in one burst: {string.Join(",", answers.Select(a => (int)a))} {rows}");
        Assert.All(answers, s => Assert.Contains(s, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        // Whatever the right guess did, the pair still waits for the failures around it.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(target, PlatformFixture.Password, "203.0.113.12")).StatusCode);
    }

    [Fact]
    public async Task A_password_spray_over_fifty_accounts_is_stopped_with_429s_that_are_audited()
    {
        var accounts = await platform.QueryScalarAsync<string[]>("SELECT array_agg(username) FROM (SELECT username FROM app_user WHERE username LIKE 'supervisor-%' ORDER BY username LIMIT 50) u");
        var statuses = new List<HttpStatusCode>();
        foreach (var account in accounts)
        {
            using var response = await LoginAsync(account, "Spring2026!", "203.0.113.13");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter?.Delta);
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal(429, problem.GetProperty("status").GetInt32());
                Assert.Contains("登录尝试过多", problem.GetProperty("detail").GetString());
            }
        }
        Assert.True(statuses.Count(s => s == HttpStatusCode.TooManyRequests) >= 25, string.Join(",", statuses.Select(s => (int)s)));
        Assert.True(await platform.QueryScalarAsync<long>("SELECT count(*) FROM audit WHERE address = '203.0.113.13' AND outcome = 429") >= 25);

        // An owner of an attacked account signs in from elsewhere.
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(accounts[^1], PlatformFixture.Password, "198.51.100.13")).StatusCode);
    }

    [Fact]
    public async Task Thirty_people_behind_one_address_sign_in_at_once()
    {
        var accounts = await platform.QueryScalarAsync<string[]>("SELECT array_agg(username) FROM (SELECT username FROM app_user WHERE username LIKE 'dispatcher-4106%' ORDER BY username DESC LIMIT 30) u");
        var answers = await Task.WhenAll(accounts.Select(async a => (await LoginAsync(a, PlatformFixture.Password, "203.0.113.14")).StatusCode));
        Assert.All(answers, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task An_unknown_name_costs_the_same_hash_work_as_a_wrong_password()
    {
        var factory = platform.Services.GetRequiredService<IMeterFactory>();
        var checks = new Dictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == Passwords.ChecksInstrument) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var account = tags.ToArray().Single(t => t.Key == "account").Value as string ?? "";
            lock (checks) checks[account] = checks.GetValueOrDefault(account) + value;
        });
        listener.Start();

        var known = await TestKit.QuietGridWorkerAsync(platform.Db, 33);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(known, "wrong-password", "203.0.113.15")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync("no-such-user-at-all", "wrong-password", "203.0.113.16")).StatusCode);

        lock (checks)
        {
            Assert.True(checks.GetValueOrDefault("known") >= 1);
            Assert.Equal(1, checks.GetValueOrDefault("unknown")); // the name without an account was hashed too
        }
    }

    [Fact]
    public async Task Logout_ends_that_session_for_the_token_the_cookie_and_the_hub()
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = platform.Address };
        var login = await browser.PostAsJsonAsync("/api/auth/login", new { username = "xun.dispatcher", password = PlatformFixture.Password });
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var stolenCookie = handler.CookieContainer.GetCookieHeader(platform.Address);
        using var bearer = Bearer(token);
        await using var hub = await LiveClient.ConnectAsync(platform.Address, token);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsync("/api/auth/logout", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/api/incidents")).StatusCode);
        var replayed = new HttpRequestMessage(HttpMethod.Get, "/api/incidents");
        replayed.Headers.Add("Cookie", stolenCookie);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _stranger.SendAsync(replayed)).StatusCode);
        await WaitUntilAsync(() => hub.State != HubConnectionState.Connected, "the hub connection of the ended session to close");
    }

    [Fact]
    public async Task A_password_change_ends_every_other_session_and_keeps_the_one_that_changed_it()
    {
        var user = await TestKit.QuietGridWorkerAsync(platform.Db, 34);
        var other = await TokenAsync(user);
        await using var otherHub = await LiveClient.ConnectAsync(platform.Address, other);
        using var mine = Bearer(await TokenAsync(user));

        var change = await mine.PostAsJsonAsync("/api/auth/password", new { currentPassword = PlatformFixture.Password, newPassword = "Anders-Wort-2027" });
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        try
        {
            using var otherHttp = Bearer(other);
            Assert.Equal(HttpStatusCode.Unauthorized, (await otherHttp.GetAsync("/api/auth/me")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await mine.GetAsync("/api/auth/me")).StatusCode);
            await WaitUntilAsync(() => otherHub.State != HubConnectionState.Connected, "the other session's hub to close");
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(user, PlatformFixture.Password, "198.51.100.34")).StatusCode);
        }
        finally
        {
            using var admin = await platform.SignInAsync("admin");
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/users/{user}/password", new { newPassword = PlatformFixture.Password })).StatusCode);
        }
    }

    [Fact]
    public async Task Disabling_an_account_ends_its_sessions_and_refuses_its_password_until_enabled()
    {
        var user = await TestKit.QuietGridWorkerAsync(platform.Db, 35);
        var token = await TokenAsync(user);
        await using var hub = await LiveClient.ConnectAsync(platform.Address, token);
        using var admin = await platform.SignInAsync("admin");
        using var qibin = await platform.SignInAsync("qibin.dispatcher");
        Assert.Equal(HttpStatusCode.Forbidden, (await qibin.PostAsync($"/api/users/{user}/disable", null)).StatusCode); // not an administrator

        var disabled = await admin.PostAsync($"/api/users/{user}/disable", null);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.True((await disabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionsEnded").GetInt32() >= 1);

        using var stale = Bearer(token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stale.GetAsync("/api/incidents")).StatusCode);
        await WaitUntilAsync(() => hub.State != HubConnectionState.Connected, "the disabled account's hub to close");
        Assert.Equal(HttpStatusCode.Forbidden, (await LoginAsync(user, PlatformFixture.Password, "198.51.100.35")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/users/{user}/enable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user, PlatformFixture.Password, "198.51.100.35")).StatusCode);
    }

    [Fact]
    public async Task A_five_megabyte_username_is_refused_and_the_audit_keeps_a_bounded_row()
    {
        var huge = new string('x', 5 << 20);
        // Kestrel may answer 413 from the Content-Length alone and close the connection while the
        // client is still writing: the client then sees a broken pipe, not the answer. Both are a
        // refusal; what matters is what reached the audit.
        try
        {
            using var response = await LoginAsync(huge, "whatever", "203.0.113.17");
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"{response.StatusCode}");
        }
        catch (HttpRequestException e) when (e.InnerException is IOException) { }
        var longest = await platform.QueryScalarAsync<int?>("SELECT max(length(coalesce(username, '')) + length(coalesce(target, '')) + length(action)) FROM audit WHERE address = '203.0.113.17'");
        Assert.True(longest is null or < 1000, $"an audit row of {longest} characters");

        using var sixtyFive = await LoginAsync(new string('y', 65), "whatever", "203.0.113.17");
        var problem = await TestKit.ProblemAsync(sixtyFive, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("username", out _));
    }

    static async Task WaitUntilAsync(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited 15 s for {what}");
            await Task.Delay(50);
        }
    }
}
