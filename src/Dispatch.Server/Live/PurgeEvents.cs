using Microsoft.Extensions.Options;

namespace Dispatch.Server.Live;

/// <summary>
/// Nightly: drops published events older than <see cref="LiveOptions.RetentionDays"/>. A client
/// away longer than that is told to reload (Resume answers with resync). Never touches an event
/// the relay has not published.
/// </summary>
public sealed class PurgeEvents(NpgsqlDataSource db, IOptions<LiveOptions> options, ILogger<PurgeEvents> log)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var removed = await conn.ExecuteAsync(new CommandDefinition("""
            DELETE FROM outbox WHERE at < now() - make_interval(days => @days)
              AND seq IS NOT NULL AND seq <= (SELECT published_seq FROM relay_cursor)
            """, new { days = options.Value.RetentionDays }, commandTimeout: 600, cancellationToken: ct));
        log.LogInformation("事件清理：删除 {Count} 条超过 {Days} 天的实时事件", removed, options.Value.RetentionDays);
        return removed;
    }
}
