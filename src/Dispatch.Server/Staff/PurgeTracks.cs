using Microsoft.Extensions.Options;

namespace Dispatch.Server.Staff;

/// <summary>Nightly: removes track fixes older than <see cref="StaffOptions.TrackRetentionDays"/>. Idempotent by nature.</summary>
public sealed class PurgeTracks(NpgsqlDataSource db, IOptions<StaffOptions> options, ILogger<PurgeTracks> log)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var removed = await conn.ExecuteAsync(new CommandDefinition("DELETE FROM staff_track WHERE at < now() - make_interval(days => @days)",
            new { days = options.Value.TrackRetentionDays }, commandTimeout: 600, cancellationToken: ct));
        log.LogInformation("轨迹清理：删除 {Count} 条超过 {Days} 天的定位记录", removed, options.Value.TrackRetentionDays);
        return removed;
    }
}
