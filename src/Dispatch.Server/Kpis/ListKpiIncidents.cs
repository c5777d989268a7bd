namespace Dispatch.Server.Kpis;

/// <param name="At">When the counted thing happened (the step, the order, the escalation), or the report for <c>reported</c>.</param>
/// <param name="DueAt">The deadline the step was judged against, where the figure has one.</param>
public sealed record KpiIncident(long Id, string CategoryName, int Priority, string Status, string CentreCode, DateTimeOffset CreatedAt,
    DateTimeOffset At, DateTimeOffset? DueAt);

/// <summary>
/// The incidents behind one figure of <see cref="Figures"/> (下钻): the same definitions as its
/// SQL, row by row, so that a count on the board can be checked case by case. At most 2,000 rows,
/// the latest first.
/// </summary>
public static class ListKpiIncidents
{
    public const int MaxRows = 2000;

    /// <summary>Each figure as the rows (incident i, time at, deadline due) that make it.</summary>
    static readonly Dictionary<string, string> Sources = new()
    {
        ["reported"] = "SELECT i.id, i.created_at AS at, NULL::timestamptz AS due FROM i WHERE i.created_at >= @start AND i.created_at < @end",
        ["accepted"] = Steps("accept", ""),
        ["acceptedLate"] = Steps("accept", "AND e.at > e.due_at"),
        ["resolved"] = Steps("resolve", ""),
        ["resolvedLate"] = Steps("resolve", "AND e.at > e.due_at"),
        ["reworks"] = Steps("rework", ""),
        ["dueMissed"] = """
            SELECT e.incident_id, e.at, e.due_at FROM incident_event e JOIN i ON i.id = e.incident_id
            WHERE e.action = 'resolve' AND e.due_at >= @start AND e.due_at < least(@end, @now) AND e.at > e.due_at
            UNION ALL
            SELECT i.id, @now, i.due_at FROM i WHERE i.status = 'on_scene' AND i.due_at >= @start AND i.due_at < least(@end, @now)
            """,
        ["supervised"] = Orders(""),
        ["supervisedLate"] = Orders("AND coalesce(o.done_at, @now) > o.due_by AND (o.done_at IS NOT NULL OR o.due_by < @now)"),
        ["escalations"] = "SELECT x.incident_id, x.at, NULL::timestamptz FROM escalation x JOIN i ON i.id = x.incident_id WHERE x.at >= @start AND x.at < @end",
        ["handDowns"] = "SELECT h.incident_id, h.created_at, h.deadline FROM hand_down h JOIN i ON i.id = h.incident_id WHERE h.created_at >= @start AND h.created_at < @end",
    };

    static string Steps(string action, string more) =>
        $"SELECT e.incident_id, e.at, e.due_at FROM incident_event e JOIN i ON i.id = e.incident_id WHERE e.action = '{action}' AND e.at >= @start AND e.at < @end {more}";

    static string Orders(string more) =>
        $"SELECT o.incident_id, o.ordered_at, o.due_by FROM supervision_order o JOIN i ON i.id = o.incident_id WHERE o.ordered_at >= @start AND o.ordered_at < @end {more}";

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, TimeProvider clock, string? figure, string? from, string? to,
        string? regionCode, string? centreCode, CancellationToken ct)
    {
        var (scope, problem) = KpiScope.Of(http, clock, from, to, regionCode);
        if (scope is null) return problem!;
        var (area, period, now) = scope;
        if (figure is null || !Sources.TryGetValue(figure, out var source))
            return Problems.Invalid("figure", $"figure 应为 {string.Join("、", Sources.Keys)} 之一。");
        if (centreCode is { Length: > 15 } || centreCode?.Any(c => !char.IsAsciiDigit(c)) == true)
            return Problems.Invalid("centreCode", "centreCode 应为综治中心的区划代码。");

        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<KpiIncident>(new CommandDefinition($"""
            WITH i AS (SELECT i.* FROM incident i WHERE starts_with(i.grid_code, @prefix) AND (@centre::text IS NULL OR i.centre_code = @centre)),
            hits AS ({source})
            SELECT x.id, c.name AS category_name, x.priority::int AS priority, x.status, x.centre_code, x.created_at, h.at, h.due AS due_at
            FROM hits h (incident_id, at, due) JOIN incident x ON x.id = h.incident_id JOIN category c ON c.code = x.category_code
            ORDER BY h.at DESC, x.id DESC LIMIT {MaxRows}
            """, new { prefix = area.Prefix, centre = centreCode, start = period.Start, end = period.End, now }, cancellationToken: ct));
        return TypedResults.Ok(rows.Select(r => r with { CreatedAt = Clock.Local(r.CreatedAt), At = Clock.Local(r.At), DueAt = Clock.Local(r.DueAt) }).ToList());
    }
}
