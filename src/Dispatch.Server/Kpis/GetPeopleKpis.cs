namespace Dispatch.Server.Kpis;

/// <param name="Assigned">Assignments given to the person in the period.</param>
/// <param name="Acknowledged">Of the person's acknowledgements (接单) in the period, with the median time from assignment.</param>
/// <param name="Resolved">Resolve steps the person took in the period; <paramref name="ResolvedOnTime"/> by the deadline, out of <paramref name="ResolveJudged"/>.</param>
public sealed record PersonFigures(long StaffId, string Code, string Name, string Kind, string GridCode, long Assigned, long Acknowledged,
    long Declined, double? AcknowledgeMedianMinutes, long Arrived, long Resolved, long ResolveJudged, long ResolvedOnTime, double? ResolveOnTimeRate);

/// <summary>Figures per field worker of the area over a period: what they were given and how they answered it.</summary>
public static class GetPeopleKpis
{
    // A field account's username is its staff code: the steps it took carry it as their actor.
    const string Sql = """
        WITH s AS (SELECT id, code, name, kind, grid_code FROM staff WHERE starts_with(grid_code, @prefix)),
        given AS (
            SELECT a.staff_id, count(*) AS assigned FROM assignment a JOIN s ON s.id = a.staff_id
            WHERE a.assigned_at >= @start AND a.assigned_at < @end GROUP BY a.staff_id),
        took AS (
            SELECT s.id AS staff_id,
                   count(*) FILTER (WHERE e.action = 'acknowledge') AS acknowledged,
                   count(*) FILTER (WHERE e.action = 'decline') AS declined,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.at - (
                       SELECT max(a.assigned_at) FROM assignment a WHERE a.incident_id = e.incident_id AND a.staff_id = s.id AND a.assigned_at <= e.at)) / 60)
                       FILTER (WHERE e.action = 'acknowledge') AS acknowledge_median,
                   count(*) FILTER (WHERE e.action = 'arrive') AS arrived,
                   count(*) FILTER (WHERE e.action = 'resolve') AS resolved,
                   count(*) FILTER (WHERE e.action = 'resolve' AND e.due_at IS NOT NULL) AS resolve_judged,
                   count(*) FILTER (WHERE e.action = 'resolve' AND e.at <= e.due_at) AS resolved_on_time
            FROM incident_event e JOIN s ON s.code = e.actor
            WHERE e.action IN ('acknowledge', 'decline', 'arrive', 'resolve') AND e.at >= @start AND e.at < @end
            GROUP BY s.id)
        SELECT s.id AS staff_id, s.code, s.name, s.kind, s.grid_code, coalesce(g.assigned, 0) AS assigned,
               coalesce(t.acknowledged, 0) AS acknowledged, coalesce(t.declined, 0) AS declined,
               round(t.acknowledge_median::numeric, 1)::float8 AS acknowledge_median_minutes, coalesce(t.arrived, 0) AS arrived,
               coalesce(t.resolved, 0) AS resolved, coalesce(t.resolve_judged, 0) AS resolve_judged, coalesce(t.resolved_on_time, 0) AS resolved_on_time,
               round(t.resolved_on_time::numeric / nullif(t.resolve_judged, 0), 4)::float8 AS resolve_on_time_rate
        FROM s LEFT JOIN given g ON g.staff_id = s.id LEFT JOIN took t ON t.staff_id = s.id
        WHERE g.staff_id IS NOT NULL OR t.staff_id IS NOT NULL
        ORDER BY s.grid_code, s.kind, s.code
        LIMIT 5000
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, TimeProvider clock, string? from, string? to, string? regionCode,
        CancellationToken ct)
    {
        var (scope, problem) = KpiScope.Of(http, clock, from, to, regionCode);
        if (scope is null) return problem!;
        var (area, period, now) = scope;
        await using var conn = await db.OpenConnectionAsync(ct);
        return TypedResults.Ok((await conn.QueryAsync<PersonFigures>(new CommandDefinition(Sql,
            new { prefix = area.Prefix, start = period.Start, end = period.End }, cancellationToken: ct))).ToList());
    }
}
