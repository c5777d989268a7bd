namespace Dispatch.Server.Alerts;

/// <param name="Precision">True alarms among those judged true or false (unsure ones left out); null before any was judged.</param>
public sealed record DetectorPrecision(string Detector, string Lane, int Closed, int True, int False, int Unsure, double? Precision);

public sealed record AlertPrecisionView(int Days, DateTimeOffset Since, IReadOnlyList<DetectorPrecision> Detectors);

/// <summary>
/// How often each detector was right, by what the people who closed its alerts said (true, false,
/// unsure) over the last <c>days</c> (90 by default) in the caller's area: a supervisor's measure of
/// which alarms deserve a dispatcher's minute. Counted from the alerts themselves on every read.
/// </summary>
public static class AlertPrecision
{
    sealed record Row(string Detector, string Lane, int Closed, int True, int False, int Unsure);

    public static async Task<IResult> Get(HttpContext http, NpgsqlDataSource db, int? days, CancellationToken ct)
    {
        var caller = http.Caller();
        if (caller.Is(Roles.Field)) return Problems.Forbidden("外勤账号不查看预警。");
        if (days is < 1 or > 366) return Problems.Invalid("days", "days 应为 1 到 366 天。");
        var span = days ?? 90;
        var since = DateTimeOffset.UtcNow.AddDays(-span);
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<Row>(new CommandDefinition($"""
            SELECT detector, min(lane) AS lane, count(*)::int AS closed,
                   count(*) FILTER (WHERE disposition = 'true')::int AS true, count(*) FILTER (WHERE disposition = 'false')::int AS false,
                   count(*) FILTER (WHERE disposition = 'unsure')::int AS unsure
            FROM alert
            WHERE disposition IS NOT NULL AND closed_at >= @since AND {GetAlerts.VisibleSql("@region")}
            GROUP BY detector ORDER BY count(*) DESC, detector
            """, new { since, region = caller.RegionCode }, cancellationToken: ct));
        return TypedResults.Ok(new AlertPrecisionView(span, Clock.Local(since), [.. rows.Select(r => new DetectorPrecision(r.Detector, r.Lane, r.Closed,
            r.True, r.False, r.Unsure, r.True + r.False == 0 ? null : Math.Round((double)r.True / (r.True + r.False), 3)))]));
    }
}
