using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Staff;

/// <summary>Nightly: removes track fixes older than <see cref="StaffOptions.TrackRetentionDays"/>. Idempotent by nature.</summary>
public sealed class PurgeTracks(NpgsqlDataSource db, IOptions<StaffOptions> options, ILogger<PurgeTracks> log)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("DELETE FROM staff_track WHERE at < now() - make_interval(days => $1)");
        cmd.Parameters.Add(new() { Value = options.Value.TrackRetentionDays });
        cmd.CommandTimeout = 600;
        var removed = await cmd.ExecuteNonQueryAsync(ct);
        log.LogInformation("轨迹清理：删除 {Count} 条超过 {Days} 天的定位记录", removed, options.Value.TrackRetentionDays);
        return removed;
    }
}
