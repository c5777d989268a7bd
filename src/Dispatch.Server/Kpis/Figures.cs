namespace Dispatch.Server.Kpis;

/// <summary>
/// The assessment figures (考核指标) of one region, centre or the whole area over a period, each
/// computed from the incidents and their steps in that period (docs/api.md, "KPIs"):
/// </summary>
/// <param name="Reported">Incidents reported in the period.</param>
/// <param name="Accepted">Accept steps taken in the period; <paramref name="AcceptedOnTime"/> of them by their accept deadline, out of <paramref name="AcceptJudged"/> that had one on record.</param>
/// <param name="Resolved">Resolve steps (处置完成) taken in the period; <paramref name="ResolvedOnTime"/> by their resolve deadline, out of <paramref name="ResolveJudged"/>.</param>
/// <param name="Due">按期办结: resolve deadlines that fell in the period (and have passed); <paramref name="DueMet"/> of them were resolved by it — the rest were resolved late or are still on scene past it.</param>
/// <param name="Reworks">Cases returned by verification (返工) in the period; <paramref name="ReworkRate"/> against those resolved.</param>
/// <param name="ResponseMedianMinutes">Report to first arrival on scene, for first arrivals in the period (median and 90th percentile, natural minutes).</param>
/// <param name="ResolutionMedianMinutes">Report to first resolution, for first resolutions in the period.</param>
/// <param name="Supervised">督办 ordered in the period; <paramref name="SupervisedLate"/> of them done after their date, or not done and past it.</param>
/// <param name="Escalations">Escalations (上报, by hand or by the platform) in the period.</param>
/// <param name="HandDowns">Cases handed down (交办) in the period.</param>
/// <param name="FollowUpsAnswered">满意度回访 recorded in the period with an answer (not 联系不上); <paramref name="FollowUpsSatisfied"/> of them 满意 or 基本满意 — <paramref name="SatisfactionRate"/>.</param>
/// <param name="VisitedHouseholds">走访覆盖: distinct households visited in the period, per grid (Visits/GetCoverage), against <paramref name="RegisteredHouseholds"/> of the same grids — <paramref name="VisitCoverageRate"/>.</param>
public sealed record Figures(long Reported, long Accepted, long AcceptJudged, long AcceptedOnTime, double? AcceptOnTimeRate,
    long Resolved, long ResolveJudged, long ResolvedOnTime, double? ResolveOnTimeRate, long Due, long DueMet, double? DueRate,
    long Reworks, double? ReworkRate, double? ResponseMedianMinutes, double? ResponseP90Minutes, double? ResolutionMedianMinutes,
    double? ResolutionP90Minutes, long Supervised, long SupervisedLate, long Escalations, long HandDowns,
    long FollowUpsAnswered, long FollowUpsSatisfied, double? SatisfactionRate,
    long VisitedHouseholds, long RegisteredHouseholds, double? VisitCoverageRate)
{
    /// <summary>
    /// Every figure for each value of <paramref name="key"/> among incidents whose grid starts with
    /// <c>@prefix</c>, over [<c>@start</c>, <c>@end</c>) as of <c>@now</c>. One row per key that has
    /// anything in the period; rates are null where their base is zero. Plain SQL over the rows, so
    /// a figure can always be recounted by hand.
    /// <para>
    /// A period's steps come from one index (<c>incident_event_kpi</c>: each step carries its case's
    /// grid and report time, migration 0026), never by joining each step to its incident; the few
    /// rows of 督办, escalations, hand-downs and follow-ups look their incident up by key. A key by
    /// centre does need each step's incident (its responsible centre now), and is the slower read.
    /// The prefix is also given as a range of codes (':' sorts after '9'), which lets a village or
    /// township read its own steps by grid (<c>incident_event_grid_at</c>) instead of the city's.
    /// </para>
    /// </summary>
    public static string Sql(KpiKey key)
    {
        // The period's steps with the key: straight from the index, or joined to the incident for its centre.
        var events = key.NeedsIncident
            ? "(SELECT e.*, i.centre_code FROM incident_event e JOIN incident i ON i.id = e.incident_id)"
            : "incident_event";
        // An incident looked up by key for a row of a small table (OFFSET 0 keeps it a lookup, not a scan of every incident).
        const string lookup = "CROSS JOIN LATERAL (SELECT i.grid_code, i.centre_code FROM incident i WHERE i.id = x.incident_id OFFSET 0) i";
        return $"""
        WITH steps AS (
            SELECT {key.On("e")} AS k, e.id, e.incident_id, e.action, e.at, e.due_at, e.reported_at
            FROM {events} e
            WHERE e.action IN ('accept', 'arrive', 'resolve', 'rework') AND e.at >= @start AND e.at < @end AND starts_with(e.grid_code, @prefix) AND e.grid_code >= @prefix AND e.grid_code < @prefix || ':'),
        reported AS (
            SELECT {key.On("i")} AS k, count(*) AS n FROM incident i
            WHERE i.created_at >= @start AND i.created_at < @end AND starts_with(i.grid_code, @prefix)
              AND i.grid_code >= @prefix AND i.grid_code < @prefix || ':' GROUP BY 1),
        stepped AS (
            SELECT k,
                   count(*) FILTER (WHERE action = 'accept') AS accepted,
                   count(*) FILTER (WHERE action = 'accept' AND due_at IS NOT NULL) AS accept_judged,
                   count(*) FILTER (WHERE action = 'accept' AND at <= due_at) AS accepted_on_time,
                   count(*) FILTER (WHERE action = 'resolve') AS resolved,
                   count(*) FILTER (WHERE action = 'resolve' AND due_at IS NOT NULL) AS resolve_judged,
                   count(*) FILTER (WHERE action = 'resolve' AND at <= due_at) AS resolved_on_time,
                   count(*) FILTER (WHERE action = 'rework') AS reworks
            FROM steps GROUP BY k),
        -- A first arrival or resolution: the first of its kind on the case in the period, with none
        -- before the period — which only a case reported before the period can have.
        firsts AS (
            SELECT s.k, s.action, extract(epoch FROM s.at - s.reported_at) / 60 AS minutes
            FROM (SELECT s.*, row_number() OVER (PARTITION BY s.incident_id, s.action ORDER BY s.id) AS nth
                  FROM steps s WHERE s.action IN ('arrive', 'resolve')) s
            WHERE s.nth = 1
              AND (s.reported_at >= @start
                   OR NOT EXISTS (SELECT 1 FROM incident_event x WHERE x.incident_id = s.incident_id AND x.action = s.action AND x.id < s.id))),
        times AS (
            SELECT k,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes) FILTER (WHERE action = 'arrive') AS response_median,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY minutes) FILTER (WHERE action = 'arrive') AS response_p90,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes) FILTER (WHERE action = 'resolve') AS resolution_median,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY minutes) FILTER (WHERE action = 'resolve') AS resolution_p90
            FROM firsts GROUP BY k),
        -- 按期办结: each resolve deadline in the period that has passed, met or not.
        due AS (
            SELECT k, count(*) AS due, count(*) FILTER (WHERE met) AS due_met FROM (
                SELECT {key.On("e")} AS k, e.at <= e.due_at AS met FROM {events} e
                WHERE e.action = 'resolve' AND e.due_at >= @start AND e.due_at < least(@end, @now) AND starts_with(e.grid_code, @prefix) AND e.grid_code >= @prefix AND e.grid_code < @prefix || ':'
                UNION ALL
                SELECT {key.On("i")}, false FROM incident i
                WHERE i.status = 'on_scene' AND i.due_at >= @start AND i.due_at < least(@end, @now) AND starts_with(i.grid_code, @prefix)) d
            GROUP BY k),
        orders AS (
            SELECT {key.On("i")} AS k, count(*) AS supervised,
                   count(*) FILTER (WHERE coalesce(x.done_at, @now) > x.due_by AND (x.done_at IS NOT NULL OR x.due_by < @now)) AS supervised_late
            FROM supervision_order x {lookup}
            WHERE x.ordered_at >= @start AND x.ordered_at < @end AND starts_with(i.grid_code, @prefix) GROUP BY 1),
        climbs AS (
            SELECT {key.On("i")} AS k, count(*) AS escalations FROM escalation x {lookup}
            WHERE x.at >= @start AND x.at < @end AND starts_with(i.grid_code, @prefix) GROUP BY 1),
        downs AS (
            SELECT {key.On("i")} AS k, count(*) AS hand_downs FROM hand_down x {lookup}
            WHERE x.created_at >= @start AND x.created_at < @end AND starts_with(i.grid_code, @prefix) GROUP BY 1),
        heard AS (
            SELECT {key.On("i")} AS k, count(*) FILTER (WHERE x.result <> 'unreachable') AS answered,
                   count(*) FILTER (WHERE x.result IN ('satisfied', 'basic')) AS satisfied
            FROM follow_up x {lookup}
            WHERE x.status = 'done' AND x.done_at >= @start AND x.done_at < @end AND starts_with(i.grid_code, @prefix) GROUP BY 1),
        -- 走访覆盖 by the grids of the key: a grid's centre is its village's (visits are village work).
        -- A key with visits is a key with something in the period; registered households alone are not.
        cover AS (
            SELECT {key.On("g")} AS k, sum(g.visited)::bigint AS visited, sum(g.registered)::bigint AS registered
            FROM (SELECT g.code AS grid_code, left(g.code, 12) AS centre_code, g.visited, g.registered FROM ({Visits.GetCoverage.GridsSql}) g) g
            GROUP BY 1),
        keys AS (
            SELECT k FROM reported UNION SELECT k FROM stepped UNION SELECT k FROM due UNION SELECT k FROM orders
            UNION SELECT k FROM climbs UNION SELECT k FROM downs UNION SELECT k FROM heard UNION SELECT k FROM cover WHERE visited > 0)
        SELECT keys.k AS key,
               coalesce(r.n, 0) AS reported,
               coalesce(s.accepted, 0) AS accepted, coalesce(s.accept_judged, 0) AS accept_judged, coalesce(s.accepted_on_time, 0) AS accepted_on_time,
               round(s.accepted_on_time::numeric / nullif(s.accept_judged, 0), 4)::float8 AS accept_on_time_rate,
               coalesce(s.resolved, 0) AS resolved, coalesce(s.resolve_judged, 0) AS resolve_judged, coalesce(s.resolved_on_time, 0) AS resolved_on_time,
               round(s.resolved_on_time::numeric / nullif(s.resolve_judged, 0), 4)::float8 AS resolve_on_time_rate,
               coalesce(d.due, 0) AS due, coalesce(d.due_met, 0) AS due_met, round(d.due_met::numeric / nullif(d.due, 0), 4)::float8 AS due_rate,
               coalesce(s.reworks, 0) AS reworks, round(s.reworks::numeric / nullif(s.resolved, 0), 4)::float8 AS rework_rate,
               round(t.response_median::numeric, 1)::float8 AS response_median_minutes, round(t.response_p90::numeric, 1)::float8 AS response_p90_minutes,
               round(t.resolution_median::numeric, 1)::float8 AS resolution_median_minutes, round(t.resolution_p90::numeric, 1)::float8 AS resolution_p90_minutes,
               coalesce(o.supervised, 0) AS supervised, coalesce(o.supervised_late, 0) AS supervised_late,
               coalesce(c.escalations, 0) AS escalations, coalesce(h.hand_downs, 0) AS hand_downs,
               coalesce(f.answered, 0) AS follow_ups_answered, coalesce(f.satisfied, 0) AS follow_ups_satisfied,
               round(f.satisfied::numeric / nullif(f.answered, 0), 4)::float8 AS satisfaction_rate,
               coalesce(v.visited, 0) AS visited_households, coalesce(v.registered, 0) AS registered_households,
               round(v.visited::numeric / nullif(v.registered, 0), 4)::float8 AS visit_coverage_rate
        FROM keys
        LEFT JOIN reported r ON r.k = keys.k LEFT JOIN stepped s ON s.k = keys.k LEFT JOIN times t ON t.k = keys.k
        LEFT JOIN due d ON d.k = keys.k LEFT JOIN orders o ON o.k = keys.k LEFT JOIN climbs c ON c.k = keys.k LEFT JOIN downs h ON h.k = keys.k
        LEFT JOIN heard f ON f.k = keys.k LEFT JOIN cover v ON v.k = keys.k
        ORDER BY keys.k
        """;
    }

    /// <summary>Nothing happened: the figures of a key with no row.</summary>
    public static readonly Figures None = new(0, 0, 0, 0, null, 0, 0, 0, null, 0, 0, null, 0, null, null, null, null, null, 0, 0, 0, 0, 0, 0, null, 0, 0, null);

    sealed record Keyed(string Key);

    /// <summary>Runs <see cref="Sql"/> for <paramref name="key"/>: figures by key.</summary>
    internal static async Task<Dictionary<string, Figures>> ByAsync(NpgsqlConnection conn, KpiKey key, string prefix, Period period, DateTimeOffset now,
        CancellationToken ct) =>
        (await conn.QueryAsync<Keyed, Figures, (string Key, Figures Figures)>(
            new CommandDefinition(Sql(key), new { prefix, start = period.Start, end = period.End, now }, cancellationToken: ct),
            (k, f) => (k.Key, f), splitOn: "reported"))
        .ToDictionary(r => r.Key, r => r.Figures);
}

/// <summary>What the figures are grouped by: the whole area, its regions of one code length, or the responsible centres.</summary>
/// <param name="Template">An SQL expression over a row <c>{0}</c> that has the incident's <c>grid_code</c> (and <c>centre_code</c> when <paramref name="NeedsIncident"/>).</param>
public sealed record KpiKey(string Template, bool NeedsIncident = false)
{
    public static readonly KpiKey Whole = new("''");
    public static readonly KpiKey Centre = new("{0}.centre_code", NeedsIncident: true);
    public static KpiKey Region(int codeLength) => new($"left({{0}}.grid_code, {codeLength})");

    public string On(string alias) => string.Format(System.Globalization.CultureInfo.InvariantCulture, Template, alias);
}
