using Dispatch.Server.Common;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Identity;

public sealed record LoginRequest(string? Username, string? Password);
public sealed record UserView(string Username, string DisplayName, IReadOnlyList<string> Roles, string RegionCode, long? StaffId);
public sealed record LoginResponse(string Token, DateTimeOffset ExpiresAt, UserView User);

/// <summary>Sign in and out. Five wrong passwords lock an account for 15 minutes.</summary>
public static class AuthApi
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);

    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Sign-in");
        auth.MapPost("/login", Login).AllowAnonymous();
        auth.MapPost("/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return TypedResults.NoContent();
        });
        auth.MapGet("/me", (HttpContext http) => View(http.Caller()));
        return app;
    }

    static UserView View(CurrentUser u) => new(u.Username, u.DisplayName, u.Roles, u.RegionCode, u.StaffId);

    const string FindUser = """
        SELECT display_name, password_hash, roles, region_code, staff_id, locked_until > now() AS locked, locked_until
        FROM app_user WHERE username = $1
        """;

    // One statement decides and records a failure, so concurrent guesses cannot slip past the count.
    const string RecordFailure = """
        UPDATE app_user SET failed_count = CASE WHEN failed_count + 1 >= $2 THEN 0 ELSE failed_count + 1 END,
                            locked_until = CASE WHEN failed_count + 1 >= $2 THEN now() + $3 ELSE locked_until END
        WHERE username = $1
        """;

    static async Task<IResult> Login(LoginRequest body, HttpContext http, NpgsqlDataSource db,
        IOptionsMonitor<BearerTokenOptions> bearer, IOptionsMonitor<CookieAuthenticationOptions> cookies, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Username) || string.IsNullOrEmpty(body.Password))
            return Problems.Invalid(new Dictionary<string, string[]>
            {
                ["username"] = string.IsNullOrWhiteSpace(body.Username) ? ["请输入用户名。"] : [],
                ["password"] = string.IsNullOrEmpty(body.Password) ? ["请输入密码。"] : [],
            }.Where(e => e.Value.Length > 0).ToDictionary());

        http.Items[Audit.AuditTrail.UserItem] = body.Username; // the audit row names the account tried, signed in or not

        if (await FindAsync(db, body.Username, ct) is not var (user, hash, lockedUntil)) return WrongPassword();
        if (lockedUntil is { } until)
            return Problems.Locked($"账号已锁定，请于 {until.ToOffset(TimeSpan.FromHours(8)):HH:mm}（北京时间）后再试。");

        if (new PasswordHasher<object>().VerifyHashedPassword(new object(), hash, body.Password) == PasswordVerificationResult.Failed)
        {
            await using var fail = db.CreateCommand(RecordFailure);
            fail.Parameters.Add(new() { Value = body.Username });
            fail.Parameters.Add(new() { Value = MaxFailures });
            fail.Parameters.Add(new() { Value = Lockout });
            await fail.ExecuteNonQueryAsync(ct);
            return WrongPassword();
        }
        await using (var ok = db.CreateCommand("UPDATE app_user SET failed_count = 0, locked_until = NULL WHERE username = $1"))
        {
            ok.Parameters.Add(new() { Value = body.Username });
            await ok.ExecuteNonQueryAsync(ct);
        }

        var expires = clock.GetUtcNow() + cookies.Get(CookieAuthenticationDefaults.AuthenticationScheme).ExpireTimeSpan;
        var properties = new AuthenticationProperties { ExpiresUtc = expires, IsPersistent = true };
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            user.ToPrincipal(CookieAuthenticationDefaults.AuthenticationScheme), properties);
        var token = bearer.Get(BearerTokenDefaults.AuthenticationScheme).BearerTokenProtector.Protect(
            new AuthenticationTicket(user.ToPrincipal(BearerTokenDefaults.AuthenticationScheme), properties, BearerTokenDefaults.AuthenticationScheme));
        return TypedResults.Ok(new LoginResponse(token, expires, View(user)));
    }

    /// <summary>The account, its password hash, and until when it is locked (null if it is not).</summary>
    static async Task<(CurrentUser User, string Hash, DateTimeOffset? LockedUntil)?> FindAsync(NpgsqlDataSource db, string username, CancellationToken ct)
    {
        await using var find = db.CreateCommand(FindUser);
        find.Parameters.Add(new() { Value = username });
        await using var r = await find.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        var user = new CurrentUser(username, r.GetString(0), r.GetFieldValue<string[]>(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetInt64(4));
        var locked = !r.IsDBNull(5) && r.GetBoolean(5) ? r.GetFieldValue<DateTimeOffset>(6) : (DateTimeOffset?)null;
        return (user, r.GetString(1), locked);
    }

    static IResult WrongPassword() => TypedResults.Problem("用户名或密码错误。", statusCode: StatusCodes.Status401Unauthorized, title: "登录失败");
}
