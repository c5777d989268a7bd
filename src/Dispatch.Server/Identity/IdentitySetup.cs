using Dispatch.Server.Database;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace Dispatch.Server.Identity;

/// <summary>
/// Sign-in: a bearer token (for scripts, phones and the hub's <c>access_token</c>) or a cookie (for
/// the screens), both sealed by ASP.NET Data Protection with keys kept in the state folder, so a
/// wall display stays signed in across server restarts; both name a session kept on the server
/// (<see cref="Sessions"/>), which logout, a password change or an administrator ends. Every
/// endpoint needs a signed-in user unless it says otherwise (the fallback policy).
/// </summary>
public static class IdentitySetup
{
    public const string Scheme = "dispatch";
    public const string CookieName = "dispatch.auth";

    public static void AddDispatchIdentity(this WebApplicationBuilder builder, StateDirectory state)
    {
        // A session lasts 12 hours from its last use (the cookie slides): a wall display or a console
        // in use stays signed in for days, one left alone for a night signs in again.
        var lifetime = builder.Configuration.GetValue("Identity:SessionLifetime", TimeSpan.FromHours(12));
        builder.Services.AddDataProtection()
            .SetApplicationName("dispatch")
            .PersistKeysToFileSystem(new DirectoryInfo(builder.Configuration["DataProtection:KeysDirectory"] ?? state.Sub("keys")));

        builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Bearer token or cookie", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                || http.Request.Query.ContainsKey("access_token")
                    ? BearerTokenDefaults.AuthenticationScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddBearerToken(o =>
            {
                o.BearerTokenExpiration = lifetime;
                // WebSockets cannot carry headers: the hub's clients send the token in the query.
                o.Events.OnMessageReceived = ctx =>
                {
                    if (ctx.Request.Path.StartsWithSegments("/hubs") && ctx.Request.Query["access_token"] is [{ } token])
                        ctx.Token = token;
                    return Task.CompletedTask;
                };
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure under TLS (a trusted proxy's X-Forwarded-Proto counts)
                o.ExpireTimeSpan = lifetime;
                o.SlidingExpiration = true;
                // An API answers with a status, never a redirect to a login page.
                o.Events.OnRedirectToLogin = ctx => { ctx.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
                o.Events.OnRedirectToAccessDenied = ctx => { ctx.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
            });

        builder.Services.Configure<SignInOptions>(builder.Configuration.GetSection("SignIn"));
        builder.Services.AddSingleton<Passwords>();
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddSingleton<SignInChallenges>();
        builder.Services.AddSingleton<TwoFactorPolicy>();
        builder.Services.AddSingleton<TwoFactor>();
        builder.Services.AddSingleton<Sessions>();
        builder.Services.AddSingleton<SignIn>();
        builder.Services.AddSingleton<LiveSessions>();
        builder.Services.AddHostedService<SessionRevocations>();

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Roles.Can.Report, p => p.RequireRole(Roles.Admin, Roles.Dispatcher, Roles.Supervisor, Roles.Field))
            .AddPolicy(Roles.Can.Dispatch, p => p.RequireRole(Roles.Admin, Roles.Dispatcher, Roles.Supervisor))
            .AddPolicy(Roles.Can.Audit, p => p.RequireRole(Roles.Admin, Roles.Auditor));
    }
}
