using Npgsql;

namespace Dispatch.Server.Alerts;

/// <summary>
/// Turns signals into alerts, one alert per developing signal: an open alert of the same detector
/// and region is updated (its window extended, its evidence refreshed, its level raised, never
/// lowered) instead of repeated; a signal an alert was already closed for, over the same days, is
/// left alone. Each signal is settled in its own transaction under an advisory lock on its key,
/// so two runs of the same window — side by side, or again after a crash — give the same alerts
/// once. Every change publishes alert.raised or alert.updated through the outbox.
/// </summary>
public sealed class RaiseAlerts(NpgsqlDataSource db)
{
    public enum Outcome { Raised, Updated, Unchanged, AlreadyHandled }

    static readonly string[] Levels = ["blue", "yellow", "orange", "red"];

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
        var open = new Dictionary<(string, string), (string Level, string[] Grids, string Summary, DateOnly To, double? Observed, double? Expected, double? Score, double? PValue)>();
        var closedTo = new Dictionary<(string, string), DateOnly>();
        await using (var cmd = db.CreateCommand("""
            SELECT detector, region_code, status, level, grid_codes, summary, window_to, observed, expected, score, p_value FROM alert
            WHERE detector = ANY($1) AND (status <> 'closed' OR window_to >= $2)
            """))
        {
            cmd.Parameters.Add(new() { Value = signals.Select(s => s.Detector).Distinct().ToArray() });
            cmd.Parameters.Add(new() { Value = signals.Count == 0 ? DateOnly.MaxValue : signals.Min(s => s.To) });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var key = (r.GetString(0), r.GetString(1));
                double? Nullable(int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
                if (r.GetString(2) == "closed")
                    closedTo[key] = closedTo.TryGetValue(key, out var to) && to > r.GetFieldValue<DateOnly>(6) ? to : r.GetFieldValue<DateOnly>(6);
                else
                    open[key] = (r.GetString(3), r.GetFieldValue<string[]>(4), r.GetString(5), r.GetFieldValue<DateOnly>(6), Nullable(7), Nullable(8), Nullable(9), Nullable(10));
            }
        }
        var toSettle = new List<Signal>();
        int unchanged = 0, handled = 0;
        foreach (var s in signals)
        {
            var key = (s.Detector, s.RegionCode);
            if (closedTo.TryGetValue(key, out var closed) && closed >= s.To) handled++;
            else if (open.TryGetValue(key, out var a) && Array.IndexOf(Levels, a.Level) >= Array.IndexOf(Levels, s.Level) && a.To >= s.To
                     && a.Grids.SequenceEqual(s.Grids) && a.Summary == s.Summary
                     && a.Observed == Stored(s.Observed) && a.Expected == Stored(s.Expected) && a.Score == Stored(s.Score) && a.PValue == Stored(s.PValue))
                unchanged++;
            else toSettle.Add(s);
        }
        return (toSettle, unchanged, handled);
    }

    static double? Stored(double? v) => v is { } x && double.IsFinite(x) ? x : null;

    public async Task<Outcome> SettleAsync(Signal s, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await ExecAsync(conn, tx, "SELECT pg_advisory_xact_lock(hashtext('alert|' || $1 || '|' || $2))", ct, s.Detector, s.RegionCode);

        if (await ScalarAsync(conn, tx, "SELECT 1 FROM alert WHERE detector = $1 AND region_code = $2 AND status = 'closed' AND window_to >= $3 LIMIT 1",
                ct, s.Detector, s.RegionCode, s.To) is not null)
            return Outcome.AlreadyHandled;

        var open = await ScalarAsync(conn, tx, "SELECT id FROM alert WHERE detector = $1 AND region_code = $2 AND status <> 'closed'", ct, s.Detector, s.RegionCode);
        Outcome outcome;
        if (open is long id)
        {
            // Only a change in the evidence makes an update: the same window scored again changes nothing.
            var changed = await ExecAsync(conn, tx, """
                WITH next AS (
                    SELECT CASE WHEN array_position('{blue,yellow,orange,red}'::text[], level) >= array_position('{blue,yellow,orange,red}'::text[], $2)
                                THEN level ELSE $2 END AS level,
                           greatest(window_to, $9) AS window_to
                    FROM alert WHERE id = $1)
                UPDATE alert a SET level = next.level, grid_codes = $3, title = $4, summary = $5, observed = $6, expected = $7, score = $8,
                       window_to = next.window_to, p_value = $10, updated_at = now(), version = version + 1
                FROM next
                WHERE a.id = $1 AND (a.level, a.grid_codes, a.summary, a.window_to, a.observed, a.expected, a.score, a.p_value)
                      IS DISTINCT FROM (next.level, $3::text[], $5, next.window_to, $6::float8, $7::float8, $8::float8, $10::float8)
                """, ct, id, s.Level, s.Grids.ToArray(), s.Title, s.Summary, Typed(s.Observed), Typed(s.Expected), Typed(s.Score), s.To, Typed(s.PValue));
            if (changed == 0) return Outcome.Unchanged;
            await ExecAsync(conn, tx, "INSERT INTO outbox (type, scope, data) SELECT 'alert.updated', region_code, live_alert(a) FROM alert a WHERE id = $1", ct, id);
            outcome = Outcome.Updated;
        }
        else
        {
            await ExecAsync(conn, tx, """
                WITH raised AS (
                    INSERT INTO alert (detector, region_code, grid_codes, level, title, summary, observed, expected, score, p_value, window_from, window_to)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *)
                INSERT INTO outbox (type, scope, data) SELECT 'alert.raised', region_code, live_alert(ROW(r.*)::alert) FROM raised r
                """, ct, s.Detector, s.RegionCode, s.Grids.ToArray(), s.Level, s.Title, s.Summary, Typed(s.Observed), Typed(s.Expected),
                Typed(s.Score), Typed(s.PValue), s.From, s.To);
            outcome = Outcome.Raised;
        }
        await tx.CommitAsync(ct);
        return outcome;
    }

    /// <summary>A figure of the evidence; one that is not finite (a threshold of −∞ when any count alarms) is stored as none.</summary>
    static NpgsqlParameter Typed(double? v) => new()
    {
        Value = v is { } x && double.IsFinite(x) ? x : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double,
    };

    static async Task<int> ExecAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct, params object[] values)
    {
        await using var cmd = Command(conn, tx, sql, values);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    static async Task<object?> ScalarAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct, params object[] values)
    {
        await using var cmd = Command(conn, tx, sql, values);
        return await cmd.ExecuteScalarAsync(ct);
    }

    static NpgsqlCommand Command(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, object[] values)
    {
        var cmd = new NpgsqlCommand(sql, conn, tx);
        foreach (var v in values) cmd.Parameters.Add(v as NpgsqlParameter ?? new NpgsqlParameter { Value = v });
        return cmd;
    }
}
