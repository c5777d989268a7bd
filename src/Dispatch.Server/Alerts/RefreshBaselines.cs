using System.Diagnostics;

namespace Dispatch.Server.Alerts;

public sealed record RefreshSummary(DateOnly Day, int NullsDrawn, int NullsLoaded, int NullsPurged, double Seconds);

/// <summary>
/// The nightly refresh (<c>Alerts:RefreshSchedule</c>, 23:40 Beijing time): reloads the grids, then
/// prepares today and tomorrow — reports, the scan's and the villages' baselines, and their Monte
/// Carlo nulls (≈ 1–4 CPU-seconds each day), stored by fingerprint — and purges nulls older than a
/// week. It runs before midnight, not after, because the first scoring run of a day is at 00:00: the
/// baselines of a day depend only on reports a week or more before it, so tomorrow's can be drawn
/// tonight and no 5-minute run pays for them. Idempotent: a second run finds every null stored and
/// draws nothing.
/// </summary>
public sealed class RefreshBaselines(ScoringInputs inputs, DayModels models, MonteCarloNulls nulls, TimeProvider clock, ILogger<RefreshBaselines> log)
{
    public async Task<RefreshSummary> RunAsync(CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(Clock.Beijing).DateTime);
        await inputs.RefreshAsync(ct);
        int drawn = 0, loaded = 0;
        foreach (var day in new[] { today, today.AddDays(1) })
        {
            var model = await models.PrepareAsync(day, ct);
            (drawn, loaded) = (drawn + model.Drawn, loaded + model.Loaded);
        }
        var purged = await nulls.PurgeAsync(today.AddDays(-7), ct);
        var summary = new RefreshSummary(today, drawn, loaded, purged, started.Elapsed.TotalSeconds);
        log.LogInformation("预警基线刷新 {Day}：新抽零分布 {Drawn}，已存 {Loaded}，清除过期 {Purged}，用时 {Seconds:F2} 秒", today, drawn, loaded, purged, summary.Seconds);
        return summary;
    }
}
