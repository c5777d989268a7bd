using System.Text.Json;

namespace Dispatch.Server.Alerts;

/// <summary>
/// Turns signals into alerts, one alert per developing signal: an open alert of the same detector
/// and region is updated (its window extended, its evidence refreshed, its level raised, never
/// lowered) instead of repeated; a signal an alert was already closed for, over the same days, is
/// left alone. Each signal is settled in its own transaction under an advisory lock on its key,
/// so two runs of the same window — side by side, or again after a crash — give the same alerts
/// once. Every change publishes alert.raised or alert.updated through the outbox.
/// An alarm raised inside a region's snooze (<see cref="AlertSnoozes"/>) is raised snoozed; a level
/// that rises ends an alert's own snooze.
/// </summary>
public sealed class RaiseAlerts(NpgsqlDataSource db)
{
    public enum Outcome { Raised, Updated, Unchanged, AlreadyHandled }

    /// <summary>
    /// Sorts a run's signals with one read: those <see cref="SettleAsync"/> would leave alone — an
    /// open alert of the same detector and region already says exactly this (same evidence, no
    /// higher level, no later day), or a closed one covers its days — and those it must settle.
    /// A run repeats most of its signals unchanged every five minutes; settling each in a
    /// transaction of its own made a run with a few hundred open alerts take seconds. Skipping is
    /// safe: the skipped ones are the no-ops of <see cref="SettleAsync"/>, which still decides
    /// every other signal under its lock.
    /// </summary>
    public async Task<(List<Signal> ToSettle, int Unchanged, int AlreadyHandled)> SortAsync(IReadOnlyList<Signal> signals, CancellationToken ct)
    {
        var open = new Dictionary<(string, string), GetAlerts.Row>();
        var closedTo = new Dictionary<(string, string), DateOnly>();
        await using (var conn = await db.OpenConnectionAsync(ct))
            foreach (var a in await conn.QueryAsync<GetAlerts.Row>(new CommandDefinition($"""
                SELECT {GetAlerts.Columns} FROM alert
                WHERE detector = ANY(@detectors) AND (status <> 'closed' OR window_to >= @to)
                """, new { detectors = signals.Select(s => s.Detector).Distinct().ToArray(), to = signals.Count == 0 ? DateOnly.MaxValue : signals.Min(s => s.To) },
                cancellationToken: ct)))
            {
                var key = (a.Detector, a.RegionCode);
                if (a.Status == "closed") closedTo[key] = closedTo.TryGetValue(key, out var to) && to > a.WindowTo ? to : a.WindowTo;
                else open[key] = a;
            }
        var toSettle = new List<Signal>();
        int unchanged = 0, handled = 0;
        foreach (var s in signals)
        {
            var key = (s.Detector, s.RegionCode);
            if (closedTo.TryGetValue(key, out var closed) && closed >= s.To) handled++;
            else if (open.TryGetValue(key, out var a) && AlertLifecycle.Higher(a.Level, s.Level) == a.Level && a.WindowTo >= s.To
                     && a.GridCodes.SequenceEqual(s.Grids) && a.Summary == s.Summary
                     && a.Observed == Finite(s.Observed) && a.Expected == Finite(s.Expected) && a.Score == Finite(s.Score) && a.PValue == Finite(s.PValue))
                unchanged++;
            else toSettle.Add(s);
        }
        return (toSettle, unchanged, handled);
    }

    /// <summary>A figure of the evidence; one that is not finite (a threshold of −∞ when any count alarms) is stored as none.</summary>
    internal static double? Finite(double? v) => v is { } x && double.IsFinite(x) ? x : null;

    /// <summary>Until when a region's snooze silences an alarm of <c>@detector</c> in <c>@region</c>; NULL when none does (and for notices).</summary>
    static readonly string RegionSnooze = $"""
        (SELECT max(s.until) FROM alert_snooze s
         WHERE alert_lane(@detector) = 'alarm' AND s.ended_at IS NULL AND s.until > now() AND {CurrentUser.CoversSql("s.region_code", "@region::text")}
           AND (s.detector IS NULL OR s.detector = @detector))
        """;

    static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <param name="RaisedBy">The raised events by their leading detector.</param>
    public sealed record EventOutcomes(int Raised, int Updated, int Unchanged, int AlreadyHandled, int Faded, IReadOnlyDictionary<string, int> RaisedBy);

    sealed record ClosedEvent(string[] GridCodes, DateOnly WindowTo);

    sealed record EventRow(long Id, string Status, string Level, string[] GridCodes, string Summary, string Evidence, DateOnly WindowTo);

    /// <summary>
    /// Settles the run's developing events (<see cref="DevelopingEvents"/>) together, under one lock,
    /// strongest first: each takes the open event alert whose grids it overlaps most, so that an alert
    /// follows its event as it grows, moves or changes its strongest detector; an event over the days
    /// of a closed one is left alone; the rest are raised. An open event alert that no event took and
    /// that found nothing for three days has faded: it closes itself with a note — unless a task made
    /// from it is still out, which waits for its verdict.
    /// </summary>
    public async Task<EventOutcomes> SettleEventsAsync(IReadOnlyList<Signal> events, DateOnly today, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('alert|events'))", transaction: tx, cancellationToken: ct));
        var open = (await conn.QueryAsync<EventRow>(new CommandDefinition("""
            SELECT id, status, level, grid_codes, summary, evidence::text AS evidence, window_to FROM alert
            WHERE status <> 'closed' AND evidence IS NOT NULL ORDER BY id FOR UPDATE
            """, transaction: tx, cancellationToken: ct))).ToList();
        var closed = (await conn.QueryAsync<ClosedEvent>(new CommandDefinition(
            "SELECT grid_codes, window_to FROM alert WHERE status = 'closed' AND evidence IS NOT NULL AND window_to >= @from",
            new { from = events.Count == 0 ? today : events.Min(e => e.To) }, tx, cancellationToken: ct))).ToList();

        var claimed = new HashSet<long>();
        var raisedBy = new Dictionary<string, int>();
        int raised = 0, updated = 0, unchanged = 0, handled = 0, faded = 0;
        foreach (var e in events.OrderByDescending(e => Array.IndexOf(AlertLifecycle.Levels, e.Level)).ThenBy(e => e.PValue ?? 1))
        {
            var grids = e.Grids.ToHashSet(StringComparer.Ordinal);
            var match = open.Where(a => !claimed.Contains(a.Id)).Select(a => (Alert: a, Shared: a.GridCodes.Count(grids.Contains)))
                .Where(x => x.Shared > 0).OrderByDescending(x => x.Shared).Select(x => x.Alert).FirstOrDefault();
            var evidence = JsonSerializer.Serialize(e.Evidence, Web);
            var values = new
            {
                detector = e.Detector, region = e.RegionCode, grids = e.Grids.ToArray(), level = e.Level, title = e.Title, summary = e.Summary,
                observed = Finite(e.Observed), expected = Finite(e.Expected), score = Finite(e.Score), pValue = Finite(e.PValue),
                from = e.From, to = e.To, lon = e.Spot?.Lon, lat = e.Spot?.Lat, evidence, levels = AlertLifecycle.Levels, id = match?.Id ?? 0,
            };
            if (match is not null)
            {
                claimed.Add(match.Id);
                if (AlertLifecycle.Higher(match.Level, e.Level) == match.Level && match.WindowTo >= e.To && match.GridCodes.SequenceEqual(e.Grids)
                    && match.Summary == e.Summary && JsonSerializer.Deserialize<List<Finding>>(match.Evidence, Web)!.SequenceEqual(e.Evidence!))
                {
                    unchanged++;
                    continue;
                }
                await conn.ExecuteAsync(new CommandDefinition($"""
                    WITH next AS (
                        SELECT CASE WHEN array_position(@levels::text[], level) >= array_position(@levels::text[], @level::text)
                                    THEN level ELSE @level::text END AS level
                        FROM alert WHERE id = @id),
                    changed AS (
                        UPDATE alert a SET detector = @detector, region_code = @region, level = next.level, grid_codes = @grids, title = @title,
                               summary = @summary, observed = @observed::float8, expected = @expected::float8, score = @score::float8,
                               p_value = @pValue::float8, window_from = least(a.window_from, @from), window_to = greatest(a.window_to, @to),
                               evidence = @evidence::jsonb, spot = coalesce(ST_SetSRID(ST_MakePoint(@lon::float8, @lat::float8), 4326), a.spot),
                               snoozed_until = CASE WHEN next.level <> a.level THEN {RegionSnooze} ELSE a.snoozed_until END,
                               updated_at = now(), version = version + 1
                        FROM next WHERE a.id = @id RETURNING a.*)
                    INSERT INTO outbox (type, scope, data) SELECT @type, region_code, live_alert(ROW(c.*)::alert) FROM changed c
                    """, Parameters(values, Live.EventTypes.AlertUpdated), tx, cancellationToken: ct));
                updated++;
            }
            else if (closed.Any(c => c.WindowTo >= e.To && c.GridCodes.Any(grids.Contains))) handled++;
            else
            {
                await conn.ExecuteAsync(new CommandDefinition($"""
                    WITH raised AS (
                        INSERT INTO alert (detector, region_code, grid_codes, level, title, summary, observed, expected, score, p_value, window_from,
                                           window_to, spot, snoozed_until, evidence)
                        VALUES (@detector, @region, @grids, @level, @title, @summary, @observed::float8, @expected::float8, @score::float8,
                                @pValue::float8, @from, @to, ST_SetSRID(ST_MakePoint(@lon::float8, @lat::float8), 4326), {RegionSnooze}, @evidence::jsonb)
                        RETURNING *)
                    INSERT INTO outbox (type, scope, data) SELECT @type, region_code, live_alert(ROW(r.*)::alert) FROM raised r
                    """, Parameters(values, Live.EventTypes.AlertRaised), tx, cancellationToken: ct));
                raised++;
                raisedBy[e.Detector] = raisedBy.GetValueOrDefault(e.Detector) + 1;
            }
        }

        foreach (var a in open.Where(a => !claimed.Contains(a.Id) && a.WindowTo < today.AddDays(-2) && a.Status is "raised" or "acknowledged"))
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                WITH faded AS (
                    UPDATE alert SET status = 'closed', closed_at = now(), handled_by = 'system', handled_note = @note, snoozed_until = NULL,
                           updated_at = now(), version = version + 1
                    WHERE id = @id RETURNING *)
                INSERT INTO outbox (type, scope, data) SELECT @type, region_code, live_alert(ROW(f.*)::alert) FROM faded f
                """, new { id = a.Id, note = $"信号已消退：{a.WindowTo:MM-dd} 以来连续 3 天未再检出，自动关闭。", type = Live.EventTypes.AlertUpdated },
                tx, cancellationToken: ct));
            faded++;
        }
        await tx.CommitAsync(ct);
        return new EventOutcomes(raised, updated, unchanged, handled, faded, raisedBy);
    }

    static DynamicParameters Parameters(object values, string type)
    {
        var parameters = new DynamicParameters(values);
        parameters.Add("type", type);
        return parameters;
    }

    public async Task<Outcome> SettleAsync(Signal s, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var key = new { detector = s.Detector, region = s.RegionCode };
        await conn.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('alert|' || @detector || '|' || @region))", key, tx, cancellationToken: ct));

        if (await conn.ExecuteScalarAsync<int?>(new CommandDefinition(
                "SELECT 1 FROM alert WHERE detector = @detector AND region_code = @region AND status = 'closed' AND window_to >= @to LIMIT 1",
                new { detector = s.Detector, region = s.RegionCode, to = s.To }, tx, cancellationToken: ct)) is not null)
            return Outcome.AlreadyHandled;

        var open = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM alert WHERE detector = @detector AND region_code = @region AND status <> 'closed'", key, tx, cancellationToken: ct));
        Outcome outcome;
        if (open is { } id)
        {
            // Only a change in the evidence makes an update: the same window scored again changes nothing.
            var changed = await conn.ExecuteAsync(new CommandDefinition($"""
                WITH next AS (
                    SELECT CASE WHEN array_position(@levels::text[], level) >= array_position(@levels::text[], @level::text)
                                THEN level ELSE @level::text END AS level,
                           greatest(window_to, @to) AS window_to
                    FROM alert WHERE id = @id)
                UPDATE alert a SET level = next.level, grid_codes = @grids, title = @title, summary = @summary, observed = @observed::float8,
                       expected = @expected::float8, score = @score::float8, window_to = next.window_to, p_value = @pValue::float8,
                       spot = coalesce(ST_SetSRID(ST_MakePoint(@lon::float8, @lat::float8), 4326), a.spot),
                       snoozed_until = CASE WHEN next.level <> a.level THEN {RegionSnooze} ELSE a.snoozed_until END,
                       updated_at = now(), version = version + 1
                FROM next
                WHERE a.id = @id AND (a.level, a.grid_codes, a.summary, a.window_to, a.observed, a.expected, a.score, a.p_value)
                      IS DISTINCT FROM (next.level, @grids::text[], @summary::text, next.window_to, @observed::float8, @expected::float8, @score::float8, @pValue::float8)
                """, new
            {
                id, levels = AlertLifecycle.Levels, level = s.Level, grids = s.Grids.ToArray(), title = s.Title, summary = s.Summary,
                observed = Finite(s.Observed), expected = Finite(s.Expected), score = Finite(s.Score), to = s.To, pValue = Finite(s.PValue),
                lon = s.Spot?.Lon, lat = s.Spot?.Lat, detector = s.Detector, region = s.RegionCode,
            }, tx, cancellationToken: ct));
            if (changed == 0) return Outcome.Unchanged;
            await conn.ExecuteAsync(new CommandDefinition(
                "INSERT INTO outbox (type, scope, data) SELECT @type, region_code, live_alert(a) FROM alert a WHERE id = @id",
                new { type = Live.EventTypes.AlertUpdated, id }, tx, cancellationToken: ct));
            outcome = Outcome.Updated;
        }
        else
        {
            await conn.ExecuteAsync(new CommandDefinition($"""
                WITH raised AS (
                    INSERT INTO alert (detector, region_code, grid_codes, level, title, summary, observed, expected, score, p_value, window_from, window_to,
                                       spot, snoozed_until)
                    VALUES (@detector, @region, @grids, @level, @title, @summary, @observed::float8, @expected::float8, @score::float8, @pValue::float8, @from, @to,
                            ST_SetSRID(ST_MakePoint(@lon::float8, @lat::float8), 4326), {RegionSnooze})
                    RETURNING *)
                INSERT INTO outbox (type, scope, data) SELECT @type, region_code, live_alert(ROW(r.*)::alert) FROM raised r
                """, new
            {
                detector = s.Detector, region = s.RegionCode, grids = s.Grids.ToArray(), level = s.Level, title = s.Title, summary = s.Summary,
                observed = Finite(s.Observed), expected = Finite(s.Expected), score = Finite(s.Score), pValue = Finite(s.PValue),
                from = s.From, to = s.To, type = Live.EventTypes.AlertRaised, lon = s.Spot?.Lon, lat = s.Spot?.Lat,
            }, tx, cancellationToken: ct));
            outcome = Outcome.Raised;
        }
        await tx.CommitAsync(ct);
        return outcome;
    }
}
