using Dispatch.Server.Regions;
using Dispatch.Server.Supervision;

namespace Dispatch.Server.Incidents;

/// <summary>An alert to be turned into a task, and what the supervisor asked for.</summary>
public sealed record AlertTask(long AlertId, string Detector, string Level, string Title, string Summary, string RegionCode,
    string GridCode, string? CategoryCode, string? Note, string CreatedBy);

/// <summary>
/// "Task" on an early-warning alert: an incident at the signal's centre grid's service point — a
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
        var point = await conn.QuerySingleAsync<ServicePoint>(new CommandDefinition(
            "SELECT ST_X(service_point) AS lon, ST_Y(service_point) AS lat FROM grid WHERE code = @code", new { code = task.GridCode }, tx, cancellationToken: ct));
        var description = $"【预警任务 #{task.AlertId}】{task.Title}。{task.Summary}{(string.IsNullOrWhiteSpace(task.Note) ? "" : $" 督导要求：{task.Note.Trim()}")}";
        var id = await CreateIncident.InsertAsync(conn, tx, new CreateIncident.NewIncident(category, point.Lon, point.Lat, priority,
            description.Length > 4000 ? description[..4000] : description, locator.Locate(point.Lon, point.Lat)!, "online", null, null,
            task.CreatedBy, StageClock.Start(calendar, clock.GetUtcNow(), sla.AcceptMinutes, sla.WorkingHours), Centres.ForRegion(task.RegionCode)), ct);
        return (id, null);
    }
}
