using Dispatch.Server.Supervision;

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
    // Named as the columns of the third statement, which Dapper matches by name and order.
    sealed record Resolution(DateTimeOffset Resolved, int ResolveMinutes, bool WorkingHours, DateTimeOffset? Arrived);

    static readonly string Sql = $"""
        SELECT count(*) FILTER (WHERE i.created_at >= @dayStart),
               count(*) FILTER (WHERE i.status IN {StatsApi.OpenStatuses}),
               count(*) FILTER (WHERE {Supervision.Overdue.Sql()})
        FROM incident i WHERE {CurrentUser.CoversSql("@region", "i.grid_code")} AND (i.created_at >= @dayStart OR i.status IN {StatsApi.OpenStatuses});

        SELECT count(*) FROM incident_event e JOIN incident i ON i.id = e.incident_id
        WHERE e.to_status = 'closed' AND e.at >= @dayStart AND {CurrentUser.CoversSql("@region", "i.grid_code")};

        SELECT e.at AS resolved, c.resolve_minutes AS resolveminutes, c.working_hours AS workinghours,
               (SELECT max(a.at) FROM incident_event a WHERE a.incident_id = e.incident_id AND a.to_status = 'on_scene' AND a.id < e.id) AS arrived
        FROM incident_event e JOIN incident i ON i.id = e.incident_id JOIN category c ON c.code = i.category_code
        WHERE e.to_status = 'resolved' AND e.at >= @dayStart AND {CurrentUser.CoversSql("@region", "i.grid_code")};

        SELECT count(*) FROM alert a WHERE a.status <> 'closed' AND {CurrentUser.CoversSql("@region", "a.region_code")}
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, WorkingCalendar calendar, TimeProvider clock, CancellationToken ct)
    {
        var region = http.Caller().RegionCode;
        var now = clock.GetUtcNow();
        var dayStart = StatsApi.BeijingMidnight(now);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var results = await conn.QueryMultipleAsync(new CommandDefinition(Sql,
            new { region, dayStart = dayStart.ToUniversalTime(), now }, cancellationToken: ct));
        var (reported, open, overdue) = await results.ReadSingleAsync<(long, long, long)>();
        var closed = await results.ReadSingleAsync<long>();
        long resolved = 0, onTime = 0;
        foreach (var r in await results.ReadAsync<Resolution>())
        {
            resolved++;
            // No arrival on record (cannot happen through the lifecycle): counted as late, not guessed.
            if (r.Arrived is not { } arrived) continue;
            if (r.Resolved <= calendar.Deadline(arrived, r.ResolveMinutes, r.WorkingHours)) onTime++;
        }
        var alerts = await results.ReadSingleAsync<long>();
        return TypedResults.Ok(new KpiView(region, Clock.Local(now), Clock.Local(dayStart), reported, closed, resolved,
            resolved == 0 ? null : Math.Round((double)onTime / resolved, 4), open, overdue, alerts));
    }
}
