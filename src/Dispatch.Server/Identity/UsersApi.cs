namespace Dispatch.Server.Identity;

public sealed record SetPasswordRequest(string? NewPassword);
public sealed record AccountChanged(string Username, int SessionsEnded);

/// <summary>
/// An administrator's actions on another account, each ending every session of that account:
/// disable (and enable), end its sessions, set a new password, reset its second factor. Only
/// accounts inside the administrator's own region; the full administration screens come with
/// the operations work.
/// </summary>
public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/users/{username}").WithTags("Users").RequireAuthorization(p => p.RequireRole(Roles.Admin))
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(4 << 10), new ProducesResponseTypeMetadata(200, typeof(AccountChanged), ["application/json"]));
        api.MapPost("/disable", (string username, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
            ActAsync(username, http, db, SessionEnd.Disabled, (conn, tx) => conn.ExecuteAsync(new CommandDefinition(
                "UPDATE app_user SET disabled_at = coalesce(disabled_at, now()) WHERE username = @username", new { username }, tx, cancellationToken: ct)), ct));
        api.MapPost("/enable", (string username, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
            ActAsync(username, http, db, null, (conn, tx) => conn.ExecuteAsync(new CommandDefinition(
                "UPDATE app_user SET disabled_at = NULL WHERE username = @username", new { username }, tx, cancellationToken: ct)), ct));
        api.MapDelete("/sessions", (string username, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
            ActAsync(username, http, db, SessionEnd.Admin, (_, _) => Task.FromResult(1), ct));
        api.MapDelete("/two-factor", (string username, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
            ActAsync(username, http, db, SessionEnd.SecondFactor, (conn, tx) => TwoFactor.ResetAsync(conn, tx, username, ct), ct));
        api.MapPut("/password", (string username, SetPasswordRequest body, HttpContext http, NpgsqlDataSource db, Passwords passwords, CancellationToken ct) =>
            Passwords.Weakness(username, body.NewPassword) is { } weakness
                ? Task.FromResult(Problems.Invalid("newPassword", weakness))
                : ActAsync(username, http, db, SessionEnd.Password, (conn, tx) => ChangePassword.SetAsync(conn, tx, username, passwords.Hash(body.NewPassword!), ct), ct));
        return app;
    }

    /// <summary>Applies <paramref name="change"/> to an account in the caller's region and ends its sessions (unless <paramref name="endSessions"/> is null), in one transaction.</summary>
    static async Task<IResult> ActAsync(string username, HttpContext http, NpgsqlDataSource db, string? endSessions,
        Func<NpgsqlConnection, NpgsqlTransaction, Task<int>> change, CancellationToken ct)
    {
        var caller = http.Caller();
        if (username.Length > AuthApi.MaxUsernameLength) return Problems.NotFound("没有这个账号，或它不在您的辖区内。");
        if (username == caller.Username && endSessions is SessionEnd.Disabled) return Problems.Conflict("不能停用自己的账号。");

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var region = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT region_code FROM app_user WHERE username = @username FOR UPDATE", new { username }, tx, cancellationToken: ct));
        if (region is null || !caller.Covers(region)) return Problems.NotFound("没有这个账号，或它不在您的辖区内。");
        await change(conn, tx);
        var ended = endSessions is null ? 0 : await Sessions.EndAllAsync(conn, tx, username, endSessions, keep: null, ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(new AccountChanged(username, ended));
    }
}
