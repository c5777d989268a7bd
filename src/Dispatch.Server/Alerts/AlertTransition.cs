using System.Text.Json;
using Dispatch.Server.Common;
using Dispatch.Server.Identity;
using Dispatch.Server.Incidents;
using Dispatch.Server.Regions;
using Dispatch.Server.Supervision;
using Npgsql;

namespace Dispatch.Server.Alerts;

public sealed record AlertTransitionRequest(string? Action, string? Note, string? CategoryCode);

/// <summary>
/// A supervisor's step on an alert (<see cref="AlertLifecycle"/>), with <c>If-Match</c> like an
/// incident's. "task" turns the alert into an incident at the signal's centre grid — a visit or a
/// mediation, dispatched like any other report — in the same transaction as the alert's change.
/// The step's note (a close's reason, the task's instruction) is kept beside who took it.
/// </summary>
public static class AlertTransition
{
    public static async Task<IResult> Handle(long id, HttpContext http, NpgsqlDataSource db, GridLocator locator,
        WorkingCalendar calendar, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<AlertTransitionRequest>(http, ct);
        if (malformed is not null) return malformed;
        if (body?.Action is not { } action || !AlertLifecycle.Actions.Contains(action))
            return Problems.Invalid("action", $"action 应为 {string.Join("、", AlertLifecycle.Actions)} 之一。");
        if (body.Note is { Length: > 2000 }) return Problems.Invalid("note", "备注不能超过 2000 字。");
        if (IfMatch.Parse(http.Request.Headers.IfMatch.ToString()) is not { } expected)
            return TypedResults.Problem("请在 If-Match 头中给出您看到的版本号（ETag）。", statusCode: 428, title: "缺少版本号");

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        string status, detector, level, title, summary;
        int version;
        string[] grids;
        await using (var find = new NpgsqlCommand($"SELECT status, version, detector, level, title, summary, grid_codes FROM alert WHERE id = $2 AND {GetAlerts.VisibleSql()} FOR UPDATE", conn, tx)
                         { Parameters = { new() { Value = caller.RegionCode }, new() { Value = id } } })
        await using (var r = await find.ExecuteReaderAsync(ct))
        {
            if (!await r.ReadAsync(ct)) return Problems.NotFound($"没有编号为 {id} 的预警，或它不在您的辖区内。");
            (status, version, detector, level, title, summary, grids) =
                (r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetFieldValue<string[]>(6));
        }
        if (version != expected) return Problems.Stale($"预警已被他人更新（当前版本 {version}，您看到的是 {expected}），请刷新后再操作。");
        if (AlertLifecycle.Next(status, action) is not { } next) return Problems.Conflict($"预警当前状态为 {status}，不能执行 {action}。");

        long? task = null;
        if (action == "task")
        {
            var category = body.CategoryCode ?? (detector == "silent-grid" ? "service" : "dispute");
            short priority;
            int acceptMinutes;
            bool workingHours;
            await using (var sla = new NpgsqlCommand("SELECT priority, accept_minutes, working_hours FROM category WHERE code = $1", conn, tx) { Parameters = { new() { Value = category } } })
            await using (var r = await sla.ExecuteReaderAsync(ct))
            {
                if (!await r.ReadAsync(ct)) return Problems.Invalid("categoryCode", $"没有编码为 {category} 的事件类别。");
                (priority, acceptMinutes, workingHours) = (r.GetInt16(0), r.GetInt32(1), r.GetBoolean(2));
            }
            if (level is "red" or "orange") priority = (short)Math.Min(priority, level == "red" ? 1 : 2);
            double lon, lat;
            await using (var point = new NpgsqlCommand("SELECT ST_X(service_point), ST_Y(service_point) FROM grid WHERE code = $1", conn, tx) { Parameters = { new() { Value = grids[0] } } })
            await using (var r = await point.ExecuteReaderAsync(ct))
            {
                await r.ReadAsync(ct);
                (lon, lat) = (r.GetDouble(0), r.GetDouble(1));
            }
            var place = locator.Locate(lon, lat)!;
            var description = $"【预警任务 #{id}】{title}。{summary}{(string.IsNullOrWhiteSpace(body.Note) ? "" : $" 督导要求：{body.Note.Trim()}")}";
            task = await CreateIncident.InsertAsync(conn, tx, new CreateIncident.NewIncident(category, lon, lat, priority,
                description.Length > 4000 ? description[..4000] : description, place, "online", null, null, caller.Username,
                calendar.Deadline(clock.GetUtcNow(), acceptMinutes, workingHours)), ct);
        }

        await using (var update = new NpgsqlCommand("""
            WITH changed AS (
                UPDATE alert SET status = $2, version = version + 1, updated_at = now(), handled_by = $3, handled_note = $5,
                       task_incident_id = coalesce($4, task_incident_id), closed_at = CASE WHEN $2 = 'closed' THEN now() END
                WHERE id = $1 RETURNING *)
            INSERT INTO outbox (type, scope, data) SELECT 'alert.updated', region_code, live_alert(ROW(c.*)::alert) FROM changed c
            """, conn, tx)
        {
            Parameters =
            {
                new() { Value = id }, new() { Value = next }, new() { Value = caller.Username },
                new() { Value = (object?)task ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint },
                new() { Value = string.IsNullOrWhiteSpace(body.Note) ? DBNull.Value : body.Note.Trim(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
            },
        })
            await update.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);

        var view = (await GetAlerts.LoadAsync(db, id, caller, ct))!;
        http.Response.Headers.ETag = view.ETag;
        return TypedResults.Ok(view);
    }
}
