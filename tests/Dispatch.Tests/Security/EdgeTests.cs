using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Live;
using Dispatch.Tests.Live;

namespace Dispatch.Tests.Security;

/// <summary>
/// Findings 8 and 11 of issue 10 at the edge of the server: cross-site requests a signed-in
/// browser can be made to send, the headers every answer carries, tiles in shared caches, who
/// may start a citywide scoring run, and alerts on field phones.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class EdgeTests(PlatformFixture platform)
{
    /// <summary>A browser's cookie session: what a cross-site page would ride on.</summary>
    async Task<HttpClient> BrowserAsync(string username)
    {
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = platform.Address };
        (await browser.PostAsJsonAsync("/api/auth/login", new { username, password = PlatformFixture.Password })).EnsureSuccessStatusCode();
        return browser;
    }

    static HttpRequestMessage From(HttpMethod method, string path, string? secFetchSite, string? origin, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (secFetchSite is not null) request.Headers.Add("Sec-Fetch-Site", secFetchSite);
        if (origin is not null) request.Headers.Add("Origin", origin);
        return request;
    }

    [Theory]
    [InlineData("same-site", null)]               // a sibling subdomain: SameSite=Strict lets its cookie through, the guard does not
    [InlineData("cross-site", "https://evil.example")]
    [InlineData(null, "https://evil.example")]    // an older browser: no Sec-Fetch-Site, only the Origin
    public async Task A_photo_upload_from_another_site_is_refused_and_stores_nothing(string? site, string? origin)
    {
        using var browser = await BrowserAsync("city.dispatcher");
        var incident = await TestKit.ReportAsync(browser, await TestKit.PlaceInAsync(platform.Db, "410603", 5), "accident");

        using var forged = await browser.SendAsync(From(HttpMethod.Post, $"/api/incidents/{incident.Id}/photos", site, origin, TestKit.Photo()));
        var problem = await TestKit.ProblemAsync(forged, HttpStatusCode.Forbidden);
        Assert.Contains("跨站", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await platform.QueryScalarAsync<long>($"SELECT count(*) FROM attachment WHERE incident_id = {incident.Id}"));

        // The same upload from the screens themselves goes through.
        using var own = await browser.SendAsync(From(HttpMethod.Post, $"/api/incidents/{incident.Id}/photos", "same-origin", platform.Address.GetLeftPart(UriPartial.Authority), TestKit.Photo()));
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
    }

    [Fact]
    public async Task The_jobs_dashboard_and_the_hub_refuse_requests_from_another_site()
    {
        using var admin = await BrowserAsync("admin");
        using var trigger = await admin.SendAsync(From(HttpMethod.Post, "/hangfire/recurring/trigger", "same-site", null,
            new FormUrlEncodedContent([new("jobs[]", "purge-sign-in-state")])));
        Assert.Equal(HttpStatusCode.Forbidden, trigger.StatusCode);

        using var negotiate = await admin.SendAsync(From(HttpMethod.Post, $"{LiveSetup.HubPath}/negotiate?negotiateVersion=1", "cross-site", "https://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, negotiate.StatusCode);
        // The hub opens its WebSocket with a GET, which is guarded too.
        using var socket = await admin.SendAsync(From(HttpMethod.Get, $"{LiveSetup.HubPath}?id=x", "same-site", null));
        Assert.Equal(HttpStatusCode.Forbidden, socket.StatusCode);

        using var ownNegotiate = await admin.SendAsync(From(HttpMethod.Post, $"{LiveSetup.HubPath}/negotiate?negotiateVersion=1", "same-origin", null));
        Assert.Equal(HttpStatusCode.OK, ownNegotiate.StatusCode);
        using var ownTrigger = await admin.SendAsync(From(HttpMethod.Post, "/hangfire/recurring/trigger", "same-origin", null,
            new FormUrlEncodedContent([new("jobs[]", "purge-sign-in-state")])));
        Assert.NotEqual(HttpStatusCode.Forbidden, ownTrigger.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/console")]
    [InlineData("/api/health")]
    [InlineData("/api/incidents")]
    public async Task Every_answer_carries_the_security_headers(string path)
    {
        using var response = await platform.Anonymous.GetAsync(path);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.False(response.Headers.Contains("Strict-Transport-Security")); // plain HTTP: HSTS would mean nothing
    }

    [Fact]
    public async Task Behind_a_TLS_proxy_HSTS_is_sent_and_the_session_cookie_is_Secure()
    {
        using var plain = await platform.Anonymous.PostAsJsonAsync("/api/auth/login", new { username = "wall", password = PlatformFixture.Password });
        Assert.DoesNotContain("secure", plain.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);

        // The proxy on this machine (127.0.0.1, a known proxy by default) says the client came over HTTPS.
        using var stranger = TestKit.Stranger(platform.Address);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { username = "wall", password = PlatformFixture.Password }) };
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var tls = await stranger.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, tls.StatusCode);
        Assert.StartsWith("max-age=", tls.Headers.GetValues("Strict-Transport-Security").Single());
        var cookie = tls.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Tiles_need_a_sign_in_and_are_never_kept_by_a_shared_cache()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.Anonymous.GetAsync("/tiles/grids/10/843/408.mvt")).StatusCode);
        using var wall = await platform.SignInAsync("wall");
        using var tile = await wall.GetAsync("/tiles/grids/10/843/408.mvt");
        Assert.Equal(HttpStatusCode.OK, tile.StatusCode);
        Assert.True(tile.Headers.CacheControl?.Private, $"Cache-Control: {tile.Headers.CacheControl}");
        Assert.False(tile.Headers.CacheControl?.Public);
    }

    [Fact]
    public async Task Only_the_citys_centre_may_start_a_citywide_scoring_run()
    {
        foreach (var township in new[] { "dispatcher-410602001", "qibin.dispatcher" })
        {
            using var client = await platform.SignInAsync(township);
            var problem = await TestKit.ProblemAsync(await client.PostAsync("/api/alerts/score", null), HttpStatusCode.Forbidden);
            Assert.Contains("市级", problem.GetProperty("detail").GetString());
        }
        using var city = await platform.SignInAsync("city.dispatcher");
        Assert.Equal(HttpStatusCode.OK, (await city.PostAsync("/api/alerts/score", null)).StatusCode);
    }

    [Fact]
    public async Task An_alert_in_a_workers_township_reaches_its_dispatchers_live_and_in_replay_but_never_the_workers_phone()
    {
        var worker = await TestKit.QuietGridWorkerAsync(platform.Db, 40);
        var grid = worker["gw-".Length..];
        var township = await platform.QueryScalarAsync<string>($"SELECT code FROM region WHERE level = 'township' AND starts_with('{grid}', code)");
        await using var phone = await LiveClient.SignInAsync(platform.Address, worker);
        await using var centre = await LiveClient.SignInAsync(platform.Address, "city.dispatcher");

        var alert = await platform.QueryScalarAsync<long>($$"""
            INSERT INTO alert (detector, region_code, grid_codes, level, status, title, summary, window_from, window_to)
            VALUES ('edge-test', '{{township}}', ARRAY['{{grid}}'], 'orange', 'raised', '测试预警', '不应到达手机', current_date, current_date) RETURNING id
            """);
        using var dispatcher = await platform.SignInAsync("city.dispatcher");
        var step = new HttpRequestMessage(HttpMethod.Post, $"/api/alerts/{alert}/transitions") { Content = JsonContent.Create(new { action = "acknowledge" }) };
        step.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        Assert.Equal(HttpStatusCode.OK, (await dispatcher.SendAsync(step)).StatusCode);
        await centre.WaitForAsync(e => e.Any(IsThe(alert)), TimeSpan.FromSeconds(10), "the alert on the centre's hub");

        // The positive control: a report in the worker's grid, published after the alert, reaches the phone,
        // so everything before it that was meant for the phone has arrived.
        var incident = await TestKit.ReportAsync(dispatcher, await TestKit.PlaceInAsync(platform.Db, grid), "accident", "报警后的上报");
        await phone.WaitForAsync(e => e.Any(IsIncident(incident.Id)), TimeSpan.FromSeconds(10), "the report on the phone");
        Assert.DoesNotContain(phone.Received, e => e.Type.StartsWith("alert.", StringComparison.Ordinal));

        // Nor in a replay of the same stretch.
        using var login = await TestKit.Stranger(platform.Address).PostAsJsonAsync("/api/auth/login", new { username = worker, password = PlatformFixture.Password });
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        await using var resumed = await LiveClient.ConnectAsync(platform.Address, token, lastSeq: phone.StartSeq);
        await resumed.WaitForAsync(e => e.Any(IsIncident(incident.Id)), TimeSpan.FromSeconds(10), "the report in the replay");
        Assert.DoesNotContain(resumed.Received, e => e.Type.StartsWith("alert.", StringComparison.Ordinal));
    }

    static Func<LiveEvent, bool> IsThe(long alert) => e => e.Type == EventTypes.AlertUpdated && e.Data.GetProperty("id").GetInt64() == alert;
    static Func<LiveEvent, bool> IsIncident(long id) => e => e.Type == EventTypes.IncidentCreated && e.Data.GetProperty("id").GetInt64() == id;
}
