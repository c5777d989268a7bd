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
