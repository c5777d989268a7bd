using Dispatch.Server.Regions;
using Dispatch.Server.Supervision;

namespace Dispatch.Server.Incidents;

/// <summary>An alert to be turned into a task, and what the supervisor asked for.</summary>
/// <param name="SpotLon">Where the signal is hottest (<c>alert.spot</c>), when the alert knows.</param>
public sealed record AlertTask(long AlertId, string Detector, string Level, string Title, string Summary, string RegionCode,
    string GridCode, double? SpotLon, double? SpotLat, string? CategoryCode, string? Note, string CreatedBy);

/// <summary>
/// "Task" on an early-warning alert: an incident at the alert's hot spot (the busiest grid's service
/// point, the repeated reports' place; an alert from before spots, its first grid's service point) — a
/// visit (a silent grid) or a mediation (anything else) unless the supervisor names the category —
/// raised to urgent for a red alert and to 2 for an orange one, handled by the centre of the alert's region, written by <see cref="CreateIncident"/>'s
/// insert inside the alert's transaction, and then dispatched like any other report.
/// </summary>
public sealed class CreateTaskFromAlert(GridLocator locator, WorkingCalendar calendar, TimeProvider clock)
{
    sealed record ServicePoint(double Lon, double Lat);

    /// <summary>The new incident's id, or the refusal to answer (an unknown category).</summary>
    public async Task<(long? Id, IResult? Refused)> CreateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, AlertTask task, CancellationToken ct)
    {
        var category = task.CategoryCode ?? (task.Detector == "silent-grid" ? "service" : "dispute");
        if (await CategorySla.FindAsync(conn, tx, category, null, ct) is not { } sla)
            return (null, Problems.Invalid("categoryCode", $"没有编码为 {category} 的事件类别。"));
        var priority = task.Level is "red" or "orange" ? (short)Math.Min(sla.DefaultPriority, task.Level == "red" ? 1 : 2) : sla.DefaultPriority;
        if (priority != sla.DefaultPriority) sla = (await CategorySla.FindAsync(conn, tx, category, priority, ct))!;
        // A spot outside every grid (a grid layer re-imported since) falls back to the grid's service point.
        var point = task is { SpotLon: { } lon, SpotLat: { } lat } && locator.Locate(lon, lat) is not null ? new ServicePoint(lon, lat)
            : await conn.QuerySingleOrDefaultAsync<ServicePoint>(new CommandDefinition(
                "SELECT ST_X(service_point) AS lon, ST_Y(service_point) AS lat FROM grid WHERE code = @code", new { code = task.GridCode }, tx, cancellationToken: ct));
        if (point is null || locator.Locate(point.Lon, point.Lat) is not { } place)
            return (null, Problems.Conflict($"预警 #{task.AlertId} 的网格 {task.GridCode} 已不在当前网格图层中，无法定位任务；请新建事件并选择地点。"));
        var description = $"【预警任务 #{task.AlertId}】{task.Title}。{task.Summary}{(string.IsNullOrWhiteSpace(task.Note) ? "" : $" 督导要求：{task.Note.Trim()}")}";
        var id = await CreateIncident.InsertAsync(conn, tx, new CreateIncident.NewIncident(category, point.Lon, point.Lat, priority,
            description.Length > 4000 ? description[..4000] : description, place, "online", null, null,
            task.CreatedBy, StageClock.Start(calendar, clock.GetUtcNow(), sla.AcceptMinutes, sla.WorkingHours), Centres.ForRegion(task.RegionCode)), ct);
        return (id, null);
    }
}
