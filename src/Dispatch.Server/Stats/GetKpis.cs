using Dispatch.Server.Common;
using Dispatch.Server.Identity;
using Dispatch.Server.Supervision;
using Npgsql;

namespace Dispatch.Server.Stats;

/// <param name="ReportedToday">Incidents reported since Beijing midnight.</param>
/// <param name="ClosedToday">Incidents closed (结案) since Beijing midnight.</param>
/// <param name="ResolvedToday">Incidents resolved (处置完成) since Beijing midnight: the base of the on-time rate.</param>
/// <param name="OnTimeRate">Of those resolved today, the share resolved by their deadline; null when none was.</param>
/// <param name="Open">Incidents whose work is not done (reported … on scene, escalated).</param>
/// <param name="Overdue">Open incidents past their SLA deadline now.</param>
/// <param name="ActiveAlerts">Early-warning alerts in the region not closed yet (raised, acknowledged or tasked).</param>
public sealed record KpiView(string RegionCode, DateTimeOffset AsOf, DateTimeOffset DayStart, long ReportedToday, long ClosedToday,
    long ResolvedToday, double? OnTimeRate, long Open, long Overdue, long ActiveAlerts);

/// <summary>
/// Today's key figures for the caller's region. "On time" is the rule the lifecycle itself
/// applies (Step.Deadline): a resolution is on time when it came before the resolve clock that
/// started on arrival ran out, in natural or working hours as the category says.
/// </summary>
public static class GetKpis
{
    static readonly string Sql = $"""
        SELECT count(*) FILTER (WHERE i.created_at >= $2),
               count(*) FILTER (WHERE i.status IN {StatsApi.OpenStatuses}),
               count(*) FILTER (WHERE i.status IN {StatsApi.OpenStatuses} AND i.due_at < $3)
        FROM incident i WHERE {CurrentUser.CoversSql("$1", "i.grid_code")} AND (i.created_at >= $2 OR i.status IN {StatsApi.OpenStatuses});

        SELECT count(*) FROM incident_event e JOIN incident i ON i.id = e.incident_id
        WHERE e.to_status = 'closed' AND e.at >= $2 AND {CurrentUser.CoversSql("$1", "i.grid_code")};

        SELECT e.at, c.resolve_minutes, c.working_hours,
               (SELECT max(a.at) FROM incident_event a WHERE a.incident_id = e.incident_id AND a.to_status = 'on_scene' AND a.id < e.id)
        FROM incident_event e JOIN incident i ON i.id = e.incident_id JOIN category c ON c.code = i.category_code
        WHERE e.to_status = 'resolved' AND e.at >= $2 AND {CurrentUser.CoversSql("$1", "i.grid_code")};

        SELECT count(*) FROM alert a WHERE a.status <> 'closed' AND {CurrentUser.CoversSql("$1", "a.region_code")}
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, WorkingCalendar calendar, TimeProvider clock, CancellationToken ct)
    {
        var region = http.Caller().RegionCode;
        var now = clock.GetUtcNow();
        var dayStart = StatsApi.BeijingMidnight(now);
        await using var batch = db.CreateBatch();
        foreach (var sql in Sql.Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            batch.BatchCommands.Add(new NpgsqlBatchCommand(sql) { Parameters = { new() { Value = region }, new() { Value = dayStart.ToUniversalTime() }, new() { Value = now } } });
        await using var r = await batch.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var (reported, open, overdue) = (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
        await r.NextResultAsync(ct);
        await r.ReadAsync(ct);
        var closed = r.GetInt64(0);
        await r.NextResultAsync(ct);
        long resolved = 0, onTime = 0;
        while (await r.ReadAsync(ct))
        {
            resolved++;
            // No arrival on record (cannot happen through the lifecycle): counted as late, not guessed.
            if (r.IsDBNull(3)) continue;
            var deadline = calendar.Deadline(r.GetFieldValue<DateTimeOffset>(3), r.GetInt32(1), r.GetBoolean(2));
            if (r.GetFieldValue<DateTimeOffset>(0) <= deadline) onTime++;
        }
        await r.NextResultAsync(ct);
        await r.ReadAsync(ct);
        var alerts = r.GetInt64(0);
        return TypedResults.Ok(new KpiView(region, Clock.Local(now), Clock.Local(dayStart), reported, closed, resolved,
            resolved == 0 ? null : Math.Round((double)onTime / resolved, 4), open, overdue, alerts));
    }
}
