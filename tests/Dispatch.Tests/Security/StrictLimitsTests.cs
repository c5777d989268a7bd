using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Tests.Live;
using Microsoft.AspNetCore.Builder;
using OtpNet;

namespace Dispatch.Tests.Security;

/// <summary>
/// A platform of its own under production-like settings, made small enough to reach in a test:
/// dispatchers must sign in with a second factor, and the per-user limits on hub connections,
/// replays and a field phone's reports are a handful instead of the defaults.
/// </summary>
public sealed class StrictPlatformFixture : PlatformFixture
{
    public const int MaxConnections = 3;
    public const int ReplayBudget = 20;
    public const int FieldBurst = 3;

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Configuration["Identity:TwoFactor:Required"] = "dispatcher";
        builder.Configuration["Live:MaxConnectionsPerUser"] = $"{MaxConnections}";
        builder.Configuration["Live:ReplayPageSize"] = $"{ReplayBudget}";
        builder.Configuration["Live:MaxReplay"] = $"{ReplayBudget}";
        builder.Configuration["Live:ReplayEventsPerSecond"] = "1";
        builder.Configuration["RateLimits:FieldIntakeBurst"] = $"{FieldBurst}";
        builder.Configuration["RateLimits:FieldIntakePerSecond"] = "1";
    }
}

/// <summary>Findings 4 and 9 of issue 10 and the per-role second factor, against <see cref="StrictPlatformFixture"/>.</summary>
public sealed class StrictLimitsTests(StrictPlatformFixture platform) : IClassFixture<StrictPlatformFixture>
{
    readonly HttpClient _stranger = TestKit.Stranger(platform.Address);

    async Task<JsonElement> PostAsync(string path, object body, HttpStatusCode expected)
    {
        using var response = await _stranger.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
    }

    Task<JsonElement> PasswordAsync(string username, HttpStatusCode expected) =>
        PostAsync("/api/auth/login", new { username, password = PlatformFixture.Password }, expected);

    [Fact]
    public async Task A_dispatcher_gets_no_session_without_the_second_factor_and_enrols_signs_in_and_recovers_with_it()
    {
        const string user = "qibin.dispatcher";
        using var admin = await platform.SignInAsync("admin"); // admins are not required in this configuration
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/users/{user}/two-factor")).StatusCode);

        // The password alone: a challenge to enrol, no token, no cookie.
        using (var passwordOnly = await _stranger.PostAsJsonAsync("/api/auth/login", new { username = user, password = PlatformFixture.Password }))
        {
            Assert.Equal(HttpStatusCode.Accepted, passwordOnly.StatusCode);
            Assert.False(passwordOnly.Headers.Contains("Set-Cookie"));
            var challenge = await passwordOnly.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("enrol", challenge.GetProperty("kind").GetString());
            Assert.False(challenge.TryGetProperty("token", out _));
            // The challenge is not a session.
            var asBearer = new HttpRequestMessage(HttpMethod.Get, "/api/incidents") { Headers = { Authorization = new("Bearer", challenge.GetProperty("challenge").GetString()) } };
            Assert.Equal(HttpStatusCode.Unauthorized, (await _stranger.SendAsync(asBearer)).StatusCode);
        }

        var enrolChallenge = (await PasswordAsync(user, HttpStatusCode.Accepted)).GetProperty("challenge").GetString();
        var enrolment = await PostAsync("/api/auth/two-factor/enrol", new { challenge = enrolChallenge }, HttpStatusCode.OK);
        Assert.StartsWith("otpauth://totp/", enrolment.GetProperty("uri").GetString());
        Assert.StartsWith("data:image/png;base64,", enrolment.GetProperty("qrCode").GetString());
        var totp = new Totp(Base32Encoding.ToBytes(enrolment.GetProperty("secret").GetString()));

        var wrong = await PostAsync("/api/auth/two-factor/confirm", new { challenge = enrolChallenge, code = WrongCode(totp) }, HttpStatusCode.Unauthorized);
        Assert.True(wrong.GetProperty("errors").TryGetProperty("code", out _));
        var confirmed = await PostAsync("/api/auth/two-factor/confirm", new { challenge = enrolChallenge, code = totp.ComputeTotp(DateTime.UtcNow) }, HttpStatusCode.OK);
        var recovery = confirmed.GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToArray();
        Assert.Equal(10, recovery.Length);
        Assert.False(string.IsNullOrEmpty(confirmed.GetProperty("signedIn").GetProperty("token").GetString()));

        // Next time: the code step. A wrong code is refused with its field; the next step's code (one step of drift is allowed) gets in.
        var codeChallenge = (await PasswordAsync(user, HttpStatusCode.Accepted)) is var c && c.GetProperty("kind").GetString() == "code"
            ? c.GetProperty("challenge").GetString() : throw new Xunit.Sdk.XunitException($"expected a code step: {c}");
        var refused = await PostAsync("/api/auth/login/second-factor", new { challenge = codeChallenge, code = WrongCode(totp) }, HttpStatusCode.Unauthorized);
        Assert.Contains("验证码不正确", refused.GetProperty("detail").GetString());
        var signedIn = await PostAsync("/api/auth/login/second-factor", new { challenge = codeChallenge, code = totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)) }, HttpStatusCode.OK);
        using (var session = Bearer(signedIn.GetProperty("token").GetString()!))
            Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/api/incidents")).StatusCode);

        // A code already used is refused, even within its step (a replayed code).
        var again = (await PasswordAsync(user, HttpStatusCode.Accepted)).GetProperty("challenge").GetString();
        await PostAsync("/api/auth/login/second-factor", new { challenge = again, code = totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)) }, HttpStatusCode.Unauthorized);

        // A recovery code gets in once.
        await PostAsync("/api/auth/login/second-factor", new { challenge = again, recoveryCode = recovery[3].ToUpperInvariant() }, HttpStatusCode.OK);
        var later = (await PasswordAsync(user, HttpStatusCode.Accepted)).GetProperty("challenge").GetString();
        await PostAsync("/api/auth/login/second-factor", new { challenge = later, recoveryCode = recovery[3] }, HttpStatusCode.Unauthorized);

        // An administrator's reset: the role still requires it, so the next sign-in enrols again.
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/users/{user}/two-factor")).StatusCode);
        Assert.Equal("enrol", (await PasswordAsync(user, HttpStatusCode.Accepted)).GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("wall")]
    [InlineData("supervisor")]
    public async Task Roles_the_configuration_does_not_name_sign_in_with_the_password_alone(string user) =>
        Assert.False(string.IsNullOrEmpty((await PasswordAsync(user, HttpStatusCode.OK)).GetProperty("token").GetString()));

    [Fact]
    public async Task A_field_phone_filing_faster_than_its_limit_gets_429_with_Retry_After_and_loses_nothing_acknowledged()
    {
        var worker = await TestKit.QuietGridWorkerAsync(platform.Db, 5);
        using var phone = await platform.SignInAsync(worker);
        var place = await TestKit.PlaceInAsync(platform.Db, worker["gw-".Length..]);
        var tag = Guid.NewGuid().ToString("N")[..8];

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < StrictPlatformFixture.FieldBurst + 3; i++)
            answers.Add(await phone.PostAsJsonAsync("/api/incidents", TestKit.Report(place, "accident", $"限流测试 {tag} {i}")));

        var created = answers.Count(a => a.StatusCode == HttpStatusCode.Created);
        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.True(created >= StrictPlatformFixture.FieldBurst, string.Join(",", answers.Select(a => (int)a.StatusCode)));
        Assert.NotEmpty(limited);
        Assert.NotNull(limited[0].Headers.RetryAfter?.Delta);
        var problem = await TestKit.ProblemAsync(limited[0], HttpStatusCode.TooManyRequests);
        Assert.Contains("上报过于频繁", problem.GetProperty("detail").GetString());
        // Exactly what was acknowledged was stored.
        Assert.Equal(created, await platform.QueryScalarAsync<long>($"SELECT count(*) FROM incident WHERE description LIKE '限流测试 {tag} %'"));

        // A centre's account is not held to a phone's pace.
        using var admin = await platform.SignInAsync("admin");
        for (var i = 0; i < StrictPlatformFixture.FieldBurst + 3; i++)
            await TestKit.ReportAsync(admin, place, "accident", $"中心上报 {tag} {i}");
    }

    [Fact]
    public async Task One_account_holds_at_most_its_share_of_hub_connections()
    {
        var worker = await TestKit.QuietGridWorkerAsync(platform.Db, 6);
        var token = (await PasswordAsync(worker, HttpStatusCode.OK)).GetProperty("token").GetString()!;
        var open = new List<LiveClient>();
        try
        {
            for (var i = 0; i < StrictPlatformFixture.MaxConnections; i++) open.Add(await LiveClient.ConnectAsync(platform.Address, token));
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => LiveClient.ConnectAsync(platform.Address, token));
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

            // Another account is not affected, and a closed connection frees its place.
            var other = (await PasswordAsync(await TestKit.QuietGridWorkerAsync(platform.Db, 7), HttpStatusCode.OK)).GetProperty("token").GetString()!;
            await using (await LiveClient.ConnectAsync(platform.Address, other)) { }
            await open[0].DisposeAsync();
            open.RemoveAt(0);
            for (var deadline = DateTime.UtcNow.AddSeconds(10); ; await Task.Delay(100))
            {
                try { open.Add(await LiveClient.ConnectAsync(platform.Address, token)); break; }
                catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.TooManyRequests && DateTime.UtcNow < deadline) { }
            }
        }
        finally
        {
            foreach (var client in open) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_replay_beyond_the_accounts_budget_is_cut_short_with_a_resync_instead_of_streaming_on()
    {
        await using var watcher = await LiveClient.SignInAsync(platform.Address, "wall");
        var from = watcher.StartSeq;
        using var admin = await platform.SignInAsync("admin");
        var place = await TestKit.PlaceInAsync(platform.Db, "410602", 2);
        for (var i = 0; i < StrictPlatformFixture.ReplayBudget * 2 + 5; i++) await TestKit.ReportAsync(admin, place, "accident", $"补发测试 {i}");
        await watcher.WaitForAsync(e => e.Count >= StrictPlatformFixture.ReplayBudget * 2 + 5, TimeSpan.FromSeconds(20), "the reports live");

        // A second connection of the same account asks for all of it again.
        var token = (await PasswordAsync("wall", HttpStatusCode.OK)).GetProperty("token").GetString()!;
        await using var resumer = await LiveClient.ConnectAsync(platform.Address, token);
        try { await resumer.ResumeAsync(from); }
        catch (Exception e) when (e is Microsoft.AspNetCore.SignalR.HubException or InvalidOperationException or TaskCanceledException or IOException) { } // the server closes it after the resync
        for (var deadline = DateTime.UtcNow.AddSeconds(10); !resumer.Resyncs.Contains("replay-limit"); await Task.Delay(50))
            if (DateTime.UtcNow > deadline) Assert.Fail($"no replay-limit resync; resyncs: [{string.Join(",", resumer.Resyncs)}], received {resumer.Received.Count}");
        Assert.True(resumer.Received.Count(e => e.Seq > from) <= StrictPlatformFixture.ReplayBudget + 5, $"{resumer.Received.Count} events replayed");
    }

    HttpClient Bearer(string token) =>
        new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = platform.Address, DefaultRequestHeaders = { Authorization = new("Bearer", token) } };

    /// <summary>A six-digit code that is none of the codes of the allowed steps.</summary>
    static string WrongCode(Totp totp)
    {
        var allowed = new[] { -30, 0, 30 }.Select(s => totp.ComputeTotp(DateTime.UtcNow.AddSeconds(s))).ToHashSet();
        return Enumerable.Range(0, 10).Select(d => new string((char)('0' + d), 6)).First(c => !allowed.Contains(c));
    }
}
