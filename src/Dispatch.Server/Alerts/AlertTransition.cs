using Dispatch.Server.Incidents;
using Dispatch.Server.Live;
using Dispatch.Server.Regions;
using Dispatch.Server.Supervision;

namespace Dispatch.Server.Alerts;

/// <param name="Disposition">On close: true (属实), false (误报) or unsure (不确定).</param>
/// <param name="Hours">On snooze: how long the alert stays silent, 1 to 168 hours.</param>
public sealed record AlertTransitionRequest(string? Action, string? Note, string? CategoryCode, string? Disposition = null, int? Hours = null);

/// <summary>
/// A supervisor's step on an alert (<see cref="AlertLifecycle"/>), with <c>If-Match</c> like an
/// incident's. "task" turns the alert into an incident (<see cref="CreateTaskFromAlert"/>) in the
/// same transaction as the alert's change.
/// The step's note (a close's reason, the task's instruction) is kept beside who took it; a close
/// says what the alarm was (<see cref="AlertLifecycle.Dispositions"/>), a snooze for how long.
/// </summary>
public static class AlertTransition
{
    static readonly string Lock = $"""
        SELECT status, version, detector, level, title, summary, region_code, grid_codes, ST_X(spot) AS spot_lon, ST_Y(spot) AS spot_lat
        FROM alert WHERE id = @id AND {GetAlerts.VisibleSql("@region")} FOR UPDATE
        """;

    sealed record Locked(string Status, int Version, string Detector, string Level, string Title, string Summary, string RegionCode, string[] GridCodes,
        double? SpotLon, double? SpotLat);

    public static async Task<IResult> Handle(long id, HttpContext http, NpgsqlDataSource db, GridLocator locator,
        WorkingCalendar calendar, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<AlertTransitionRequest>(http, ct);
        if (malformed is not null) return malformed;
        if (body?.Action is not { } action || !AlertLifecycle.Actions.Contains(action))
            return Problems.Invalid("action", $"action 应为 {string.Join("、", AlertLifecycle.Actions)} 之一。");
        if (body.Note is { Length: > 2000 }) return Problems.Invalid("note", "备注不能超过 2000 字。");
        if (action == "close" && !AlertLifecycle.Dispositions.Contains(body.Disposition))
            return Problems.Invalid("disposition", "关闭预警须判定：true（属实）、false（误报）或 unsure（不确定）。");
        if (action != "close" && body.Disposition is not null) return Problems.Invalid("disposition", "只有关闭预警时才作判定。");
        if (action == "snooze" && body.Hours is not (>= 1 and <= AlertLifecycle.MaxSnoozeHours))
            return Problems.Invalid("hours", $"暂缓时长 hours 应为 1 到 {AlertLifecycle.MaxSnoozeHours} 小时。");
        if (IfMatch.Read(http.Request, out var expected) is { } missing) return missing;

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var alert = await conn.QuerySingleOrDefaultAsync<Locked>(new CommandDefinition(Lock, new { id, region = caller.RegionCode }, tx, cancellationToken: ct));
        if (alert is null) return Problems.NotFound($"没有编号为 {id} 的预警，或它不在您的辖区内。");
        if (alert.Version != expected) return Problems.Stale($"预警已被他人更新（当前版本 {alert.Version}，您看到的是 {expected}），请刷新后再操作。");
        if (AlertLifecycle.Next(alert.Status, action) is not { } next) return Problems.Conflict($"预警当前状态为 {alert.Status}，不能执行 {action}。");

        long? task = null;
        if (action == "task")
        {
            var (created, refused) = await new CreateTaskFromAlert(locator, calendar, clock).CreateAsync(conn, tx, new AlertTask(id, alert.Detector,
                alert.Level, alert.Title, alert.Summary, alert.RegionCode, alert.GridCodes[0], alert.SpotLon, alert.SpotLat, body.CategoryCode, body.Note,
                caller.Username), ct);
            if (refused is not null) return refused;
            task = created;
        }

        await conn.ExecuteAsync(new CommandDefinition("""
            WITH changed AS (
                UPDATE alert SET status = @next, version = version + 1, updated_at = now(), handled_by = @handledBy, handled_note = @note,
                       task_incident_id = coalesce(@task, task_incident_id), closed_at = CASE WHEN @next = 'closed' THEN now() END,
                       disposition = coalesce(@disposition, disposition),
                       snoozed_until = CASE WHEN @next = 'closed' THEN NULL WHEN @hours::int IS NOT NULL THEN now() + make_interval(hours => @hours::int)
                                            ELSE snoozed_until END
                WHERE id = @id RETURNING *)
            INSERT INTO outbox (type, scope, data) SELECT @eventType, region_code, live_alert(ROW(c.*)::alert) FROM changed c
            """, new
        {
            id, next, handledBy = caller.Username, task, note = string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim(),
            disposition = body.Disposition, hours = action == "snooze" ? body.Hours : null,
            eventType = EventTypes.AlertUpdated,
        }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);

        var view = (await GetAlerts.LoadAsync(db, id, caller, ct))!;
        http.Response.Headers.ETag = view.ETag;
        return TypedResults.Ok(view);
    }
}
