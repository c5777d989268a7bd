namespace Dispatch.Server.Identity;

/// <summary>
/// Nightly: forgets throttle keys that have leaked back to nothing (a day without a failure is
/// more than any rule's leak needs) and sessions that ended or went unused a month ago — a spray
/// of random names would otherwise leave one row each for ever.
/// </summary>
public sealed class PurgeSignInState(NpgsqlDataSource db, ILogger<PurgeSignInState> log)
{
    public async Task RunAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var keys = await conn.ExecuteAsync(new CommandDefinition("""
            DELETE FROM sign_in_throttle WHERE updated_at < now() - interval '1 day' AND (blocked_until IS NULL OR blocked_until < now())
            """, cancellationToken: ct));
        var sessions = await conn.ExecuteAsync(new CommandDefinition("""
            DELETE FROM user_session WHERE coalesce(ended_at, last_seen_at) < now() - interval '30 days'
            """, cancellationToken: ct));
        log.LogInformation("登录状态清理：删除 {Keys} 个限流键、{Sessions} 个过期会话", keys, sessions);
    }
}
