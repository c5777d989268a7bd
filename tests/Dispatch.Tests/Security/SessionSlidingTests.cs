using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;

namespace Dispatch.Tests.Security;

/// <summary>A platform whose sessions last 20 seconds from their last use instead of 12 hours.</summary>
public sealed class ShortSessionFixture : PlatformFixture
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(20);

    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Configuration["Identity:SessionLifetime"] = Lifetime.ToString();
}

/// <summary>
/// A wall display runs for days on one sign-in: its session slides with use (the wall asks for its
/// figures every 30 s), while a screen left alone signs in again when its session runs out.
/// </summary>
public sealed class SessionSlidingTests(ShortSessionFixture platform) : IClassFixture<ShortSessionFixture>
{
    [Fact]
    public async Task A_session_in_use_outlives_its_lifetime_and_one_left_alone_ends()
    {
        using var used = await SignedInScreenAsync();
        using var idle = await SignedInScreenAsync();
        var lifetime = ShortSessionFixture.Lifetime;

        // Past half its lifetime, a request renews the cookie.
        await Task.Delay(lifetime * 0.55);
        var renewed = await used.GetAsync("/api/auth/me");
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.Contains(renewed.Headers.GetValues("Set-Cookie"), c => c.StartsWith("dispatch.auth=", StringComparison.Ordinal));

        // Past the first lifetime: the screen in use is still signed in, the idle one is not.
        await Task.Delay(lifetime * 0.6);
        Assert.Equal(HttpStatusCode.OK, (await used.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await idle.GetAsync("/api/auth/me")).StatusCode);
    }

    /// <summary>A screen: the cookie of <c>POST /api/auth/login</c> and nothing else.</summary>
    async Task<HttpClient> SignedInScreenAsync()
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true }) { BaseAddress = platform.Address };
        var login = await client.PostAsJsonAsync("/api/auth/login", new { username = "wall", password = PlatformFixture.Password });
        login.EnsureSuccessStatusCode();
        return client;
    }
}
