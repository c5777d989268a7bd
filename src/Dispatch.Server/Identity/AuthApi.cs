using Dispatch.Server.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Dispatch.Server.Identity;

public sealed record LoginRequest(string? Username, string? Password);
public sealed record TwoFactorState(bool Enabled, bool Required);
public sealed record UserView(string Username, string DisplayName, IReadOnlyList<string> Roles, string RegionCode, long? StaffId, TwoFactorState TwoFactor);
public sealed record LoginResponse(string Token, DateTimeOffset ExpiresAt, UserView User);
/// <summary>The password was right and a second step comes next: a code (<c>code</c>) or enrolling in the second factor (<c>enrol</c>).</summary>
public sealed record SecondFactorChallenge(string Kind, string Challenge, DateTimeOffset ExpiresAt);

/// <summary>
/// Sign-in and out. A password is checked only after the throttle has counted the attempt
/// (<see cref="SignInThrottle"/>); a name without an account costs the same hash work. Accounts
/// with a second factor, or whose roles require one, answer 202 with a challenge for the second step.
/// </summary>
public static class AuthApi
{
    public const int MaxUsernameLength = 64;

    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Sign-in");
        auth.MapPost("/login", Login).AllowAnonymous().WithMetadata(RateLimits.PasswordWork, new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(4 << 10))
            .Produces<LoginResponse>().Produces<SecondFactorChallenge>(202);
        auth.MapPost("/login/second-factor", TwoFactorApi.SignIn).AllowAnonymous().WithMetadata(RateLimits.PasswordWork, new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(8 << 10))
            .Produces<LoginResponse>();
        auth.MapPost("/two-factor/enrol", TwoFactorApi.Enrol).AllowAnonymous().WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(8 << 10))
            .Produces<Enrolment>();
        auth.MapPost("/two-factor/confirm", TwoFactorApi.Confirm).AllowAnonymous().WithMetadata(RateLimits.PasswordWork, new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(8 << 10))
            .Produces<Confirmed>();
        auth.MapPost("/two-factor/recovery-codes", TwoFactorApi.NewRecoveryCodes).WithMetadata(RateLimits.PasswordWork).Produces<Confirmed>();
        auth.MapPost("/password", ChangePassword.Handle).WithMetadata(RateLimits.PasswordWork, new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(4 << 10)).Produces(204);
        auth.MapPost("/logout", Logout).Produces(204);
        auth.MapGet("/me", Me).Produces<UserView>();
        return app;
    }

    static async Task<IResult> Login(LoginRequest body, HttpContext http, NpgsqlDataSource db, Passwords passwords, SignInThrottle throttle,
        TwoFactorPolicy policy, SignInChallenges challenges, SignIn signIn, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Username)) errors["username"] = ["请输入用户名。"];
        else if (body.Username.Length > MaxUsernameLength) errors["username"] = [$"用户名不能超过 {MaxUsernameLength} 个字符。"];
        if (string.IsNullOrEmpty(body.Password)) errors["password"] = ["请输入密码。"];
        else if (body.Password.Length > Passwords.MaxLength) errors["password"] = [$"密码不能超过 {Passwords.MaxLength} 个字符。"];
        if (errors.Count > 0) return Problems.Invalid(errors);
        var username = body.Username!.Trim();
        http.Items[Audit.AuditTrail.UserItem] = username; // the audit row names the account tried, signed in or not

        var (claim, wait) = await throttle.ClaimAsync(username, http.Connection.RemoteIpAddress, ct);
        if (claim is null) return TooManyAttempts(http, wait);
        await using var conn = await db.OpenConnectionAsync(ct);
        var account = await Account.FindAsync(conn, username, ct);
        if (!passwords.Verify(account?.PasswordHash, body.Password!)) return WrongPassword();
        await throttle.SucceededAsync(claim, ct);

        if (account!.Disabled) return Problems.Forbidden("账号已停用，请联系管理员。");
        if (account.TwoFactorEnabled || policy.Requires(account.Roles))
        {
            var kind = account.TwoFactorEnabled ? SignInChallenges.Code : SignInChallenges.Enrol;
            var (challenge, expires) = challenges.Issue(kind, account.Username);
            return TypedResults.Accepted((string?)null, new SecondFactorChallenge(kind, challenge, expires));
        }
        return TypedResults.Ok(await signIn.CompleteAsync(http, account, secondFactor: false, ct));
    }

    static async Task<IResult> Logout(HttpContext http, Sessions sessions, CancellationToken ct)
    {
        if (Sessions.IdOf(http.User) is { } id) await sessions.EndAsync(id, SessionEnd.Logout, ct);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    static async Task<IResult> Me(HttpContext http, NpgsqlDataSource db, TwoFactorPolicy policy, CancellationToken ct)
    {
        var caller = http.Caller();
        await using var conn = await db.OpenConnectionAsync(ct);
        var enabled = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT totp_enabled_at IS NOT NULL FROM app_user WHERE username = @username", new { username = caller.Username }, cancellationToken: ct));
        return TypedResults.Ok(View(caller, enabled, policy));
    }

    public static UserView View(CurrentUser u, bool twoFactorEnabled, TwoFactorPolicy policy) =>
        new(u.Username, u.DisplayName, u.Roles, u.RegionCode, u.StaffId, new TwoFactorState(twoFactorEnabled, policy.Requires(u.Roles)));

    public static IResult WrongPassword() => TypedResults.Problem("用户名或密码错误。", statusCode: StatusCodes.Status401Unauthorized, title: "登录失败");

    public static IResult TooManyAttempts(HttpContext http, TimeSpan wait) =>
        Problems.TooMany(http, $"登录尝试过多，请 {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} 秒后再试。", wait);
}

/// <summary>
/// Opens a session for an account whose password (and code, where needed) was right: the row in
/// <c>user_session</c>, the screens' cookie and the scripts' bearer token, both naming the session.
/// </summary>
public sealed class SignIn(Sessions sessions, TwoFactorPolicy policy, TimeProvider clock,
    Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.BearerToken.BearerTokenOptions> bearer,
    Microsoft.Extensions.Options.IOptionsMonitor<CookieAuthenticationOptions> cookies)
{
    public async Task<LoginResponse> CompleteAsync(HttpContext http, Account account, bool secondFactor, CancellationToken ct)
    {
        var session = await sessions.OpenAsync(account.Username, secondFactor, http, ct);
        var user = account.ToUser();
        var expires = clock.GetUtcNow() + cookies.Get(CookieAuthenticationDefaults.AuthenticationScheme).ExpireTimeSpan;
        var properties = new AuthenticationProperties { ExpiresUtc = expires, IsPersistent = true };
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            user.ToPrincipal(CookieAuthenticationDefaults.AuthenticationScheme, session), properties);
        const string scheme = Microsoft.AspNetCore.Authentication.BearerToken.BearerTokenDefaults.AuthenticationScheme;
        var token = bearer.Get(scheme).BearerTokenProtector.Protect(new AuthenticationTicket(user.ToPrincipal(scheme, session), properties, scheme));
        http.Items[Audit.AuditTrail.UserItem] = account.Username;
        return new LoginResponse(token, expires, AuthApi.View(user, account.TwoFactorEnabled, policy));
    }
}
