using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Xunit.Abstractions;

namespace Dispatch.Tests.Security;

/// <summary>
/// Nothing answers a stranger but health, sign-in (with its second step, which carries its own
/// proof), the API description and the web app; the cookie signs the screens in as the token signs in scripts.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SignInRequiredTests(PlatformFixture platform, ITestOutputHelper output) : IDisposable
{
    readonly HttpClient _stranger = TestKit.Stranger(platform.Address);

    public void Dispose() => _stranger.Dispose();

    /// <summary>The routes open to all, as docs/api.md and DispatchApp say.</summary>
    static bool IsOpen(RouteCall call) =>
        call.Pattern.StartsWith("/health/", StringComparison.Ordinal)
        || call is { Method: "POST", Pattern: "/api/auth/login" or "/api/auth/login/second-factor" or "/api/auth/two-factor/enrol" or "/api/auth/two-factor/confirm" }
        || call.Pattern.StartsWith("/openapi/", StringComparison.Ordinal)
        || call.Pattern.StartsWith("/scalar", StringComparison.Ordinal)
        || call.Endpoint.DisplayName?.StartsWith("Fallback", StringComparison.Ordinal) == true;

    static string? ValueOf(RouteEndpoint endpoint, string name) => name switch
    {
        "documentName" => "v1",
        "layer" => "grids",
        "z" => "12",
        "x" => "3348",
        "y" => "1613",
        "code" when endpoint.RoutePattern.RawText!.Contains("categories") => "accident",
        "code" => "410611",
        _ => null,
    };

    IReadOnlyList<RouteCall> AllRoutes() => Routes.Enumerate(platform.Services, ValueOf);

    [Fact]
    public async Task Every_route_but_the_open_ones_refuses_a_stranger_with_401()
    {
        var calls = AllRoutes();
        Assert.Contains(calls, c => c is { Method: "POST", Pattern: "/api/incidents/" });
        Assert.Contains(calls, c => c.Pattern == "/api/incidents/{id:long}/photos/{photoId:long}");

        var wrong = new List<string>();
        foreach (var call in calls)
        {
            var request = new HttpRequestMessage(new HttpMethod(call.Method), call.Path) { Content = call.Body(new { }) };
            using var response = await _stranger.SendAsync(request);
            var status = response.StatusCode;
            var open = IsOpen(call);
            output.WriteLine($"{(int)status} {call.Method,-6} {call.Path}{(open ? "  (open)" : "")}");
            // The second sign-in step is open, and refuses a missing challenge as a failed sign-in, not as "not signed in".
            if (open && status == HttpStatusCode.Unauthorized && await TitleAsync(response) == "登录失败") continue;
            if (open == (status == HttpStatusCode.Unauthorized))
                wrong.Add($"{call} ({call.Path}) answered {(int)status}, expected {(open ? "not 401" : "401")}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    static async Task<string?> TitleAsync(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString()
            : null;

    [Fact]
    public void Only_the_open_routes_carry_AllowAnonymous()
    {
        var anonymous = AllRoutes().Where(c => c.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(c => c.ToString());
        Assert.Equal(AllRoutes().Where(IsOpen).Select(c => c.ToString()), anonymous);
    }

    [Fact]
    public async Task The_open_routes_answer_a_stranger()
    {
        Assert.Equal(HttpStatusCode.OK, (await _stranger.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _stranger.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _stranger.GetAsync("/scalar")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _stranger.PostAsJsonAsync("/api/auth/login", new { username = "wall", password = PlatformFixture.Password })).StatusCode);
        // The web app's screens (404 when the web app was not built into this output; never 401).
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await _stranger.GetAsync("/console/queue")).StatusCode);
    }

    [Fact]
    public async Task A_refused_stranger_gets_a_chinese_problem()
    {
        var response = await _stranger.GetAsync("/api/incidents");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("未登录", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_sign_in_cookie_alone_authorises_and_sign_out_ends_it()
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true };
        using var browser = new HttpClient(handler) { BaseAddress = platform.Address };

        var login = await browser.PostAsJsonAsync("/api/auth/login", new { username = "city.dispatcher", password = PlatformFixture.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("dispatch.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Null(browser.DefaultRequestHeaders.Authorization);

        var me = await browser.GetFromJsonAsync<UserView>("/api/auth/me", TestKit.Web);
        Assert.Equal(("city.dispatcher", "410600"), (me!.Username, me.RegionCode));
        Assert.Equal(["dispatcher"], me.Roles);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsync("/api/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task A_forged_or_garbled_token_is_refused()
    {
        using var forged = new HttpClient { BaseAddress = platform.Address };
        forged.DefaultRequestHeaders.Authorization = new("Bearer", "CfDJ8-not-a-real-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/auth/me")).StatusCode);

        using var cookie = new HttpClient { BaseAddress = platform.Address };
        cookie.DefaultRequestHeaders.Add("Cookie", "dispatch.auth=CfDJ8-not-a-real-cookie");
        Assert.Equal(HttpStatusCode.Unauthorized, (await cookie.GetAsync("/api/auth/me")).StatusCode);
    }

    Task<HttpResponseMessage> LoginAsync(string username, string password) =>
        _stranger.PostAsJsonAsync("/api/auth/login", new { username, password });
}
