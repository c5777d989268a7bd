namespace Dispatch.Server.Identity;

public sealed record SecondFactorRequest(string? Challenge, string? Code, string? RecoveryCode);
public sealed record EnrolRequest(string? Challenge);
public sealed record ConfirmRequest(string? Challenge, string? Code);
/// <summary>The recovery codes, shown once; and the new session when enrolling was the last step of a sign-in.</summary>
public sealed record Confirmed(IReadOnlyList<string> RecoveryCodes, LoginResponse? SignedIn);

/// <summary>
/// The second step of a sign-in (a code from the authenticator app, or a recovery code) and
/// enrolment in the second factor — during a sign-in that requires it (with the challenge the
/// password step gave) or later, signed in, by choice. Wrong codes count in the sign-in throttle
/// like wrong passwords.
/// </summary>
public static class TwoFactorApi
{
    public static async Task<IResult> SignIn(SecondFactorRequest body, HttpContext http, NpgsqlDataSource db, SignInChallenges challenges,
        SignInThrottle throttle, TwoFactor twoFactor, SignIn signIn, CancellationToken ct)
    {
        if (challenges.Read(body.Challenge) is not (SignInChallenges.Code, var username)) return ChallengeExpired();
        http.Items[Audit.AuditTrail.UserItem] = username;
        var (code, recovery) = (body.Code?.Trim() ?? "", body.RecoveryCode?.Trim() ?? "");
        if (code.Length == 0 == (recovery.Length == 0) || code.Length > 16 || recovery.Length > 64)
            return Problems.Invalid(code.Length == 0 && recovery.Length == 0 ? "code" : "recoveryCode", "请输入验证器上的 6 位验证码，或一个恢复码（二选一）。");

        var (claim, wait) = await throttle.ClaimAsync(username, http.Connection.RemoteIpAddress, ct);
        if (claim is null) return AuthApi.TooManyAttempts(http, wait);
        var right = code.Length > 0 ? await twoFactor.VerifyAsync(username, code, enrolling: false, ct) is not null
                                     : await twoFactor.UseRecoveryCodeAsync(username, recovery, ct);
        if (!right) return WrongCode(code.Length > 0 ? "code" : "recoveryCode");
        await throttle.SucceededAsync(claim, ct);

        await using var conn = await db.OpenConnectionAsync(ct);
        if (await Account.FindAsync(conn, username, ct) is not { Disabled: false } account) return Problems.Forbidden("账号已停用，请联系管理员。");
        return TypedResults.Ok(await signIn.CompleteAsync(http, account, secondFactor: true, ct));
    }

    public static async Task<IResult> Enrol(EnrolRequest body, HttpContext http, SignInChallenges challenges, TwoFactor twoFactor, CancellationToken ct)
    {
        if (Enroller(body.Challenge, http, challenges) is not { } username) return ChallengeExpired();
        return await twoFactor.StartAsync(username, ct) is { } enrolment
            ? TypedResults.Ok(enrolment)
            : Problems.Conflict("该账号已启用两步验证；如需更换设备，请联系管理员重置。");
    }

    public static async Task<IResult> Confirm(ConfirmRequest body, HttpContext http, NpgsqlDataSource db, SignInChallenges challenges,
        SignInThrottle throttle, TwoFactor twoFactor, Sessions sessions, SignIn signIn, CancellationToken ct)
    {
        if (Enroller(body.Challenge, http, challenges) is not { } username) return ChallengeExpired();
        http.Items[Audit.AuditTrail.UserItem] = username;
        if (body.Code is not { Length: > 0 and <= 16 } code) return Problems.Invalid("code", "请输入验证器上的 6 位验证码。");

        var (claim, wait) = await throttle.ClaimAsync(username, http.Connection.RemoteIpAddress, ct);
        if (claim is null) return AuthApi.TooManyAttempts(http, wait);
        if (await twoFactor.VerifyAsync(username, code, enrolling: true, ct) is not { } recoveryCodes) return WrongCode("code");
        await throttle.SucceededAsync(claim, ct);

        if (body.Challenge is null && Sessions.IdOf(http.User) is { } current)
        {
            // Enrolled while signed in: this session has now shown the second factor; any other was opened without it.
            await sessions.MarkSecondFactorAsync(current, ct);
            await using var conn = await db.OpenConnectionAsync(ct);
            await Sessions.EndAllAsync(conn, null, username, SessionEnd.SecondFactor, keep: current, ct);
            return TypedResults.Ok(new Confirmed(recoveryCodes, null));
        }
        await using (var conn = await db.OpenConnectionAsync(ct))
            if (await Account.FindAsync(conn, username, ct) is { Disabled: false } account)
                return TypedResults.Ok(new Confirmed(recoveryCodes, await signIn.CompleteAsync(http, account with { TwoFactorEnabled = true }, secondFactor: true, ct)));
        return Problems.Forbidden("账号已停用，请联系管理员。");
    }

    public static async Task<IResult> NewRecoveryCodes(ConfirmRequest body, HttpContext http, SignInThrottle throttle, TwoFactor twoFactor, CancellationToken ct)
    {
        var username = http.Caller().Username;
        if (body.Code is not { Length: > 0 and <= 16 } code) return Problems.Invalid("code", "请输入验证器上的 6 位验证码，以确认是您本人。");
        var (claim, wait) = await throttle.ClaimAsync(username, http.Connection.RemoteIpAddress, ct);
        if (claim is null) return AuthApi.TooManyAttempts(http, wait);
        if (await twoFactor.VerifyAsync(username, code, enrolling: false, ct) is null) return WrongCode("code");
        await throttle.SucceededAsync(claim, ct);
        return TypedResults.Ok(new Confirmed(await twoFactor.ReplaceRecoveryCodesAsync(username, ct), null));
    }

    /// <summary>Who is enrolling: the account of an enrolment challenge, or the signed-in user when no challenge is given.</summary>
    static string? Enroller(string? challenge, HttpContext http, SignInChallenges challenges) =>
        challenge is not null
            ? challenges.Read(challenge) is (SignInChallenges.Enrol, var username) ? username : null
            : http.User.Identity?.IsAuthenticated == true ? http.Caller().Username : null;

    static IResult ChallengeExpired() =>
        TypedResults.Problem("登录验证已过期或无效，请重新输入用户名和密码。", statusCode: StatusCodes.Status401Unauthorized, title: "登录失败");

    static IResult WrongCode(string field) =>
        TypedResults.Problem("验证码不正确或已使用过。", statusCode: StatusCodes.Status401Unauthorized, title: "登录失败",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = ["验证码不正确或已使用过。"] } });
}
