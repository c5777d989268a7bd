using Dispatch.Server.Supervision;

namespace Dispatch.Server.Stats;

/// <param name="ReportedToday">Incidents reported since Beijing midnight.</param>
/// <param name="ClosedToday">Incidents closed (结案) since Beijing midnight.</param>
/// <param name="ResolvedToday">Resolve steps (处置完成) taken since Beijing midnight: the base of the on-time rate.</param>
/// <param name="OnTimeRate">Of those resolved today, the share resolved by the deadline they were judged against — the 考核
/// definition (Kpis/Figures.cs) over today; null when none was.</param>
/// <param name="Open">Incidents whose work is not done (reported … on scene, escalated).</param>
/// <param name="Overdue">Open incidents past their SLA deadline now.</param>
/// <param name="ActiveAlerts">Early-warning alarms in the region not closed yet (raised, acknowledged or tasked).</param>
/// <param name="ActiveNotices">Rule notices (三零 change, 一评 violation) in the region not closed yet: their own count.</param>
public sealed record KpiView(string RegionCode, DateTimeOffset AsOf, DateTimeOffset DayStart, long ReportedToday, long ClosedToday,
    long ResolvedToday, double? OnTimeRate, long Open, long Overdue, long ActiveAlerts, long ActiveNotices);

/// <summary>
/// Today's key figures for the caller's region, on the wall and in the console. "On time" is the
/// assessment's own definition (<see cref="Kpis.Figures"/>) over today: a resolution is on time when
/// it came by the resolve deadline in force when it was taken — one rule for the wall, the console
/// and the 考核 board.
/// </summary>
public static class GetKpis
{
    static readonly string Sql = $"""
        SELECT count(*) FILTER (WHERE i.created_at >= @dayStart),
               count(*) FILTER (WHERE i.status IN {StatsApi.OpenStatuses}),
               count(*) FILTER (WHERE {Supervision.Overdue.Sql()})
        FROM incident i WHERE {CurrentUser.CoversSql("@region", "i.grid_code")} AND (i.created_at >= @dayStart OR i.status IN {StatsApi.OpenStatuses});

        SELECT count(*) FROM incident_event e JOIN incident i ON i.id = e.incident_id
        WHERE e.to_status = 'closed' AND e.at >= @dayStart AND {CurrentUser.CoversSql("@region", "i.grid_code")};

        SELECT count(*) FILTER (WHERE a.lane = 'alarm'), count(*) FILTER (WHERE a.lane = 'notice')
        FROM alert a WHERE a.status <> 'closed' AND {CurrentUser.CoversSql("@region", "a.region_code")}
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var region = http.Caller().RegionCode;
        var now = clock.GetUtcNow();
        var dayStart = StatsApi.BeijingMidnight(now);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var results = await conn.QueryMultipleAsync(new CommandDefinition(Sql,
            new { region, dayStart = dayStart.ToUniversalTime(), now }, cancellationToken: ct));
        var (reported, open, overdue) = await results.ReadSingleAsync<(long, long, long)>();
        var closed = await results.ReadSingleAsync<long>();
        var (alarms, notices) = await results.ReadSingleAsync<(long, long)>();
        var today = DateOnly.FromDateTime(dayStart.ToOffset(Clock.Beijing).DateTime);
        var prefix = region == CurrentUser.CityCode ? "" : region;
        var figures = (await Kpis.Figures.ByAsync(conn, Kpis.KpiKey.Whole, prefix, new Kpis.Period(today, today), now, ct)).GetValueOrDefault("", Kpis.Figures.None);
        return TypedResults.Ok(new KpiView(region, Clock.Local(now), Clock.Local(dayStart), reported, closed, figures.Resolved,
            figures.ResolveOnTimeRate, open, overdue, alarms, notices));
    }
}
