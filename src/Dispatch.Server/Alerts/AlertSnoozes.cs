using Dispatch.EarlyWarning;
using Dispatch.EarlyWarning.Patterns;
using Dispatch.EarlyWarning.Scan;
using Dispatch.Server.Live;

namespace Dispatch.Server.Alerts;

public sealed record AlertSnoozeRequest(string? RegionCode, string? Detector, int? Hours, string? Reason);

public sealed record AlertSnoozeView(long Id, string RegionCode, string? Detector, DateTimeOffset Until, string Reason, string CreatedBy,
    DateTimeOffset CreatedAt, int AlertsSnoozed);

/// <summary>
/// A snooze over a region: an expected crowd (a temple fair, a market day), works that draw
/// complaints for a week — the alarms it would raise there are known already. While it lasts, the
/// region's open alarms (of one detector, or all) and those raised in it are recorded as usual but
/// stay silent on the wall (<see cref="RaiseAlerts"/>). Notices are never snoozed: they fire by
/// definition. A snooze is a write over an area: only inside the caller's.
/// </summary>
public static class AlertSnoozes
{
    /// <summary>The alarm detectors a snooze may name.</summary>
    public static readonly string[] Detectors =
    [
        "ears-c2", RegionCharts.Detector(ChartMethod.Cusum), RegionCharts.Detector(ChartMethod.Ewma), ExpectationBasedScan.Detector,
        SilentGrids.Detector, RepeatIncidents.PlaceDetector, RepeatIncidents.PartiesDetector, EscalatingDisputes.Detector,
    ];

    const string Columns = "id, region_code, detector, until, reason, created_by, created_at";

    sealed record Row(long Id, string RegionCode, string? Detector, DateTimeOffset Until, string Reason, string CreatedBy, DateTimeOffset CreatedAt)
    {
        public AlertSnoozeView ToView(int snoozed = 0) => new(Id, RegionCode, Detector, Clock.Local(Until), Reason, CreatedBy, Clock.Local(CreatedAt), snoozed);
    }

    /// <summary>The snoozes in force over or inside the caller's area.</summary>
    public static async Task<IResult> List(HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        var caller = http.Caller();
        if (caller.Is(Roles.Field)) return Problems.Forbidden("外勤账号不查看预警。");
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<Row>(new CommandDefinition($"""
            SELECT {Columns} FROM alert_snooze
            WHERE ended_at IS NULL AND until > now() AND ({CurrentUser.CoversSql("@region", "region_code")} OR {CurrentUser.CoversSql("region_code", "@region::text")})
            ORDER BY until DESC, id DESC
            """, new { region = caller.RegionCode }, cancellationToken: ct));
        return TypedResults.Ok(rows.Select(r => r.ToView()).ToList());
    }

    public static async Task<IResult> Create(HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<AlertSnoozeRequest>(http, ct);
        if (malformed is not null) return malformed;
        if (body?.RegionCode is not { } region || !System.Text.RegularExpressions.Regex.IsMatch(region, "^[0-9]{6,15}$"))
            return Problems.Invalid("regionCode", "regionCode 应为 6 到 15 位区划或网格代码。");
        if (body.Detector is { } detector && !Detectors.Contains(detector))
            return Problems.Invalid("detector", $"detector 应为 {string.Join("、", Detectors)} 之一，或不填（全部预警）。");
        if (body.Hours is not (>= 1 and <= AlertLifecycle.MaxSnoozeHours))
            return Problems.Invalid("hours", $"暂缓时长 hours 应为 1 到 {AlertLifecycle.MaxSnoozeHours} 小时。");
        if (string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > 500)
            return Problems.Invalid("reason", "请说明暂缓的原因（不超过 500 字），例如“庙会期间人流量大”。");
        if (!caller.Covers(region)) return Problems.Forbidden("只能暂缓本辖区内的预警。");

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await conn.ExecuteScalarAsync<int?>(new CommandDefinition(
                "SELECT 1 FROM region WHERE code = @region UNION ALL SELECT 1 FROM grid WHERE code = @region LIMIT 1", new { region }, tx, cancellationToken: ct)) is null)
            return Problems.Invalid("regionCode", $"没有代码为 {region} 的区域或网格。");
        var row = await conn.QuerySingleAsync<Row>(new CommandDefinition($"""
            INSERT INTO alert_snooze (region_code, detector, until, reason, created_by)
            VALUES (@region, @detector, now() + make_interval(hours => @hours), @reason, @by) RETURNING {Columns}
            """, new { region, detector = body.Detector, hours = body.Hours.Value, reason = body.Reason.Trim(), by = caller.Username }, tx, cancellationToken: ct));
        // The region's open alarms go silent now, not at their next change.
        var snoozed = await conn.ExecuteAsync(new CommandDefinition($"""
            WITH snoozed AS (
                UPDATE alert SET snoozed_until = @until, updated_at = now(), version = version + 1
                WHERE status <> 'closed' AND lane = 'alarm' AND {CurrentUser.CoversSql("@region", "region_code")}
                  AND (@detector::text IS NULL OR detector = @detector) AND (snoozed_until IS NULL OR snoozed_until < @until)
                RETURNING *)
            INSERT INTO outbox (type, scope, data) SELECT @type, region_code, live_alert(ROW(s.*)::alert) FROM snoozed s
            """, new { region, detector = body.Detector, until = row.Until, type = EventTypes.AlertUpdated }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/alert-snoozes/{row.Id}", row.ToView(snoozed));
    }

    /// <summary>Ends a snooze early; alerts it silenced speak again (their own snooze, if any, is kept).</summary>
    public static async Task<IResult> End(long id, HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        var caller = http.Caller();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"""
            UPDATE alert_snooze SET ended_at = now(), ended_by = @by
            WHERE id = @id AND ended_at IS NULL AND {CurrentUser.CoversSql("@region", "region_code")} RETURNING {Columns}
            """, new { id, by = caller.Username, region = caller.RegionCode }, tx, cancellationToken: ct));
        if (row is null) return Problems.NotFound($"没有编号为 {id} 的生效中暂缓，或它不在您的辖区内。");
        await conn.ExecuteAsync(new CommandDefinition($"""
            WITH woken AS (
                UPDATE alert SET snoozed_until = NULL, updated_at = now(), version = version + 1
                WHERE status <> 'closed' AND snoozed_until = @until AND {CurrentUser.CoversSql("@region", "region_code")}
                  AND (@detector::text IS NULL OR detector = @detector)
                RETURNING *)
            INSERT INTO outbox (type, scope, data) SELECT @type, region_code, live_alert(ROW(w.*)::alert) FROM woken w
            """, new { region = row.RegionCode, detector = row.Detector, until = row.Until, type = EventTypes.AlertUpdated }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}
