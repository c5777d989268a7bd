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
    /// Every figure but the times (<see cref="TimesSql"/>) for each value of <paramref name="key"/> among incidents whose grid starts with
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
        // Follow-ups carry their case's grid; only a key by centre needs the case itself.
        var followUps = key.NeedsIncident ? $"follow_up x {lookup}" : "follow_up x";
        var followUpKey = key.NeedsIncident ? "i" : "x";
        const string inArea = "starts_with(e.grid_code, @prefix) AND e.grid_code >= @prefix AND e.grid_code < @prefix || ':'";
        return $"""
        WITH reported AS (
            SELECT {key.Select("i")} AS k, count(*) AS n FROM incident i
            WHERE i.created_at >= @start AND i.created_at < @end AND starts_with(i.grid_code, @prefix)
              AND i.grid_code >= @prefix AND i.grid_code < @prefix || ':' {key.GroupBy("i")}),
        stepped AS (
            SELECT {key.Select("e")} AS k,
                   count(*) FILTER (WHERE action = 'accept') AS accepted,
                   count(*) FILTER (WHERE action = 'accept' AND due_at IS NOT NULL) AS accept_judged,
                   count(*) FILTER (WHERE action = 'accept' AND at <= due_at) AS accepted_on_time,
                   count(*) FILTER (WHERE action = 'resolve') AS resolved,
                   count(*) FILTER (WHERE action = 'resolve' AND due_at IS NOT NULL) AS resolve_judged,
                   count(*) FILTER (WHERE action = 'resolve' AND at <= due_at) AS resolved_on_time,
                   count(*) FILTER (WHERE action = 'rework') AS reworks
            FROM {events} e
            WHERE e.action IN ('accept', 'resolve', 'rework') AND e.at >= @start AND e.at < @end AND {inArea} {key.GroupBy("e")}),
        -- 按期办结: each resolve deadline in the period that has passed, met or not.
        due AS (
            SELECT {key.Select("d")} AS k, count(*) AS due, count(*) FILTER (WHERE met) AS due_met FROM (
                SELECT e.grid_code{key.CentreColumn("e")}, e.at <= e.due_at AS met FROM {events} e
                WHERE e.action = 'resolve' AND e.due_at >= @start AND e.due_at < least(@end, @now) AND {inArea}
                UNION ALL
                SELECT i.grid_code{key.CentreColumn("i")}, false FROM incident i
                WHERE i.status = 'on_scene' AND i.due_at >= @start AND i.due_at < least(@end, @now) AND starts_with(i.grid_code, @prefix)) d
            {key.GroupBy("d")}),
        orders AS (
            SELECT {key.Select("i")} AS k, count(*) AS supervised,
                   count(*) FILTER (WHERE coalesce(x.done_at, @now) > x.due_by AND (x.done_at IS NOT NULL OR x.due_by < @now)) AS supervised_late
            FROM supervision_order x {lookup}
            WHERE x.ordered_at >= @start AND x.ordered_at < @end AND starts_with(i.grid_code, @prefix) {key.GroupBy("i")}),
        climbs AS (
            SELECT {key.Select("i")} AS k, count(*) AS escalations FROM escalation x {lookup}
            WHERE x.at >= @start AND x.at < @end AND starts_with(i.grid_code, @prefix) {key.GroupBy("i")}),
        downs AS (
            SELECT {key.Select("i")} AS k, count(*) AS hand_downs FROM hand_down x {lookup}
            WHERE x.created_at >= @start AND x.created_at < @end AND starts_with(i.grid_code, @prefix) {key.GroupBy("i")}),
        heard AS (
            SELECT {key.Select(followUpKey)} AS k, count(*) FILTER (WHERE x.result <> 'unreachable') AS answered,
                   count(*) FILTER (WHERE x.result IN ('satisfied', 'basic')) AS satisfied
            FROM {followUps}
            WHERE x.status = 'done' AND x.done_at >= @start AND x.done_at < @end AND starts_with({followUpKey}.grid_code, @prefix) {key.GroupBy(followUpKey)}),
        -- 走访覆盖 by the grids of the key: a grid's centre is its village's (visits are village work).
        -- A key with visits is a key with something in the period; registered households alone are not.
        cover AS (
            SELECT {key.Select("g")} AS k, sum(g.visited)::bigint AS visited, sum(g.registered)::bigint AS registered
            FROM (SELECT g.code AS grid_code, left(g.code, 12) AS centre_code, g.visited, g.registered FROM ({Visits.GetCoverage.GridsSql}) g) g
            {key.GroupBy("g")}),
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
               -- The times come from TimesSql, read beside this one (ByAsync).
               NULL::float8 AS response_median_minutes, NULL::float8 AS response_p90_minutes,
               NULL::float8 AS resolution_median_minutes, NULL::float8 AS resolution_p90_minutes,
               coalesce(o.supervised, 0) AS supervised, coalesce(o.supervised_late, 0) AS supervised_late,
               coalesce(c.escalations, 0) AS escalations, coalesce(h.hand_downs, 0) AS hand_downs,
               coalesce(f.answered, 0) AS follow_ups_answered, coalesce(f.satisfied, 0) AS follow_ups_satisfied,
               round(f.satisfied::numeric / nullif(f.answered, 0), 4)::float8 AS satisfaction_rate,
               coalesce(v.visited, 0) AS visited_households, coalesce(v.registered, 0) AS registered_households,
               round(v.visited::numeric / nullif(v.registered, 0), 4)::float8 AS visit_coverage_rate
        FROM keys
        LEFT JOIN reported r ON r.k = keys.k LEFT JOIN stepped s ON s.k = keys.k
        LEFT JOIN due d ON d.k = keys.k LEFT JOIN orders o ON o.k = keys.k LEFT JOIN climbs c ON c.k = keys.k LEFT JOIN downs h ON h.k = keys.k
        LEFT JOIN heard f ON f.k = keys.k LEFT JOIN cover v ON v.k = keys.k
        ORDER BY keys.k
        """;
    }

    /// <summary>
    /// Report to a case's first arrival, and to its first resolution, for those that fell in the period
    /// (a step knows whether it repeats an action of its case: migration 0028): median and 90th percentile
    /// by key, in minutes. The sort behind the percentiles is the costliest part of the figures, so it is
    /// its own statement, read beside <see cref="Sql"/>.
    /// </summary>
    public static string TimesSql(KpiKey key)
    {
        var events = key.NeedsIncident
            ? "(SELECT e.*, i.centre_code FROM incident_event e JOIN incident i ON i.id = e.incident_id)"
            : "incident_event";
        return $"""
        SELECT k AS key, round((response[1] / 60)::numeric, 1)::float8 AS response_median_minutes, round((response[2] / 60)::numeric, 1)::float8 AS response_p90_minutes,
               round((resolution[1] / 60)::numeric, 1)::float8 AS resolution_median_minutes, round((resolution[2] / 60)::numeric, 1)::float8 AS resolution_p90_minutes
        FROM (SELECT {key.Select("e")} AS k,
                     percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY e.seconds) FILTER (WHERE e.action = 'arrive') AS response,
                     percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY e.seconds) FILTER (WHERE e.action = 'resolve') AS resolution
              -- Only what the sort needs, as a number: a narrow row sorts in memory.
              FROM (SELECT e.grid_code{key.CentreColumn("e")}, e.action, extract(epoch FROM e.at - e.reported_at)::float8 AS seconds FROM {events} e
                    WHERE NOT e.repeated AND e.action IN ('arrive', 'resolve') AND e.at >= @start AND e.at < @end
                      AND starts_with(e.grid_code, @prefix) AND e.grid_code >= @prefix AND e.grid_code < @prefix || ':') e
              {key.GroupBy("e")}) t
        """;
    }

    sealed record Times(string Key, double? ResponseMedianMinutes, double? ResponseP90Minutes, double? ResolutionMedianMinutes, double? ResolutionP90Minutes);

    /// <summary>Nothing happened: the figures of a key with no row.</summary>
    public static readonly Figures None = new(0, 0, 0, 0, null, 0, 0, 0, null, 0, 0, null, 0, null, null, null, null, null, 0, 0, 0, 0, 0, 0, null, 0, 0, null);

    sealed record Keyed(string Key);

    /// <summary>Runs <see cref="Sql"/> and <see cref="TimesSql"/> for <paramref name="key"/> on one connection: figures by key.</summary>
    internal static async Task<Dictionary<string, Figures>> ByAsync(NpgsqlConnection conn, KpiKey key, string prefix, Period period, DateTimeOffset now,
        CancellationToken ct) =>
        Merge(await CountsAsync(conn, key, prefix, period, now, ct), await TimesAsync(conn, key, prefix, period, ct));

    /// <summary>The same, the two statements side by side on two of the pool's connections (the reads a supervisor waits for).</summary>
    internal static async Task<Dictionary<string, Figures>> ByAsync(NpgsqlDataSource db, KpiKey key, string prefix, Period period, DateTimeOffset now,
        CancellationToken ct)
    {
        async Task<T> On<T>(Func<NpgsqlConnection, Task<T>> read)
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            return await read(conn);
        }
        var counts = On(conn => CountsAsync(conn, key, prefix, period, now, ct));
        var times = On(conn => TimesAsync(conn, key, prefix, period, ct));
        await Task.WhenAll(counts, times);
        return Merge(await counts, await times);
    }

    static async Task<Dictionary<string, Figures>> CountsAsync(NpgsqlConnection conn, KpiKey key, string prefix, Period period, DateTimeOffset now,
        CancellationToken ct) =>
        (await conn.QueryAsync<Keyed, Figures, (string Key, Figures Figures)>(
            new CommandDefinition(Sql(key), new { prefix, start = period.Start, end = period.End, now }, cancellationToken: ct),
            (k, f) => (k.Key, f), splitOn: "reported"))
        .ToDictionary(r => r.Key, r => r.Figures);

    static async Task<IEnumerable<Times>> TimesAsync(NpgsqlConnection conn, KpiKey key, string prefix, Period period, CancellationToken ct) =>
        await conn.QueryAsync<Times>(new CommandDefinition(TimesSql(key), new { prefix, start = period.Start, end = period.End }, cancellationToken: ct));

    static Dictionary<string, Figures> Merge(Dictionary<string, Figures> counts, IEnumerable<Times> times)
    {
        foreach (var t in times)
            counts[t.Key] = counts.GetValueOrDefault(t.Key, None) with
            {
                ResponseMedianMinutes = t.ResponseMedianMinutes, ResponseP90Minutes = t.ResponseP90Minutes,
                ResolutionMedianMinutes = t.ResolutionMedianMinutes, ResolutionP90Minutes = t.ResolutionP90Minutes,
            };
        return counts;
    }
}

/// <summary>What the figures are grouped by: the whole area, its regions of one code length, or the responsible centres.</summary>
/// <param name="Template">An SQL expression over a row <c>{0}</c> that has the incident's <c>grid_code</c> (and <c>centre_code</c> when <paramref name="NeedsIncident"/>).</param>
/// <param name="WithWhole">Also the whole area, keyed <c>''</c>, from the same pass (grouping sets): an area's figures and its children's.</param>
public sealed record KpiKey(string Template, bool NeedsIncident = false, bool WithWhole = false)
{
    public static readonly KpiKey Whole = new("''");
    public static readonly KpiKey Centre = new("{0}.centre_code", NeedsIncident: true);
    public static KpiKey Region(int codeLength, bool withWhole = false) => new($"left({{0}}.grid_code, {codeLength})", WithWhole: withWhole);

    public string On(string alias) => string.Format(System.Globalization.CultureInfo.InvariantCulture, Template, alias);

    /// <summary>The key of a row as the first column of a grouped select; the whole's rows read <c>''</c>.</summary>
    public string Select(string alias) => WithWhole ? $"coalesce({On(alias)}, '')" : On(alias);

    /// <summary>The grouping by <see cref="Select"/> (the first column), and the whole too when <see cref="WithWhole"/>.</summary>
    public string GroupBy(string alias) => WithWhole ? $"GROUP BY GROUPING SETS (({On(alias)}), ())" : "GROUP BY 1";

    /// <summary>The centre column a derived row must carry for a key by centre.</summary>
    public string CentreColumn(string alias) => NeedsIncident ? $", {alias}.centre_code" : "";
}
