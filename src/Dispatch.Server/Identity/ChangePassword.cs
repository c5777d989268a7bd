namespace Dispatch.Server.Identity;

public sealed record PasswordChangeRequest(string? CurrentPassword, string? NewPassword);

/// <summary>
/// A user changes their own password: the current one is checked (through the throttle, since a
/// borrowed session must not become a free password oracle), and every other session of the
/// account ends with the change — whoever knew the old password is signed out everywhere.
/// </summary>
public static class ChangePassword
{
    public static async Task<IResult> Handle(PasswordChangeRequest body, HttpContext http, NpgsqlDataSource db, Passwords passwords,
        SignInThrottle throttle, CancellationToken ct)
    {
        var caller = http.Caller();
        if (string.IsNullOrEmpty(body.CurrentPassword) || body.CurrentPassword.Length > Passwords.MaxLength)
            return Problems.Invalid("currentPassword", "请输入当前密码。");
        if (Passwords.Weakness(caller.Username, body.NewPassword) is { } weakness) return Problems.Invalid("newPassword", weakness);

        var (claim, wait) = await throttle.ClaimAsync(caller.Username, http.Connection.RemoteIpAddress, ct);
        if (claim is null) return AuthApi.TooManyAttempts(http, wait);
        await using var conn = await db.OpenConnectionAsync(ct);
        var account = await Account.FindAsync(conn, caller.Username, ct);
        if (!passwords.Verify(account?.PasswordHash, body.CurrentPassword)) return Problems.Invalid("currentPassword", "当前密码不正确。");
        await throttle.SucceededAsync(claim, ct);

        await using var tx = await conn.BeginTransactionAsync(ct);
        await SetAsync(conn, tx, caller.Username, passwords.Hash(body.NewPassword!), ct);
        await Sessions.EndAllAsync(conn, tx, caller.Username, SessionEnd.Password, keep: Sessions.IdOf(http.User), ct);
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    public static Task<int> SetAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string username, string hash, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(
            "UPDATE app_user SET password_hash = @hash, password_changed_at = now() WHERE username = @username",
            new { username, hash }, tx, cancellationToken: ct));
}
