using Dispatch.Server.Database;
using Dispatch.Server.Live;

namespace Dispatch.Server.Supervision;

/// <summary>
/// SLA clocks that push: every few seconds, each incident whose next SLA moment has come gets its
/// warning (80 % of the stage's time gone) and then its breach (the deadline passed) as an
/// <c>incident.sla</c> event to its area's centres and supervisors. Each signal is written to
/// <c>sla_signal</c> under its incident, deadline and kind in the same transaction as the event, so
/// it goes out exactly once: whichever node's watch comes first, however often the server
/// restarts, and late rather than never when the server was down at the moment. A breach may climb
/// the ladder by itself (<see cref="EscalateOverdue"/>), in the same transaction.
/// </summary>
public sealed class SlaWatch(NpgsqlDataSource db, StartupState startup, TimeProvider clock, EscalateOverdue escalate, IConfiguration config,
    ILogger<SlaWatch> log) : BackgroundService
{
    readonly TimeSpan _every = config.GetValue("Supervision:SlaWatchEvery", TimeSpan.FromSeconds(15));

    /// <summary>
    /// The incidents due (locked, skipping those a step holds: they come back next round), the
    /// signals not yet given for their current deadline, the next moment moved on, and one event
    /// per new signal — a warning before its breach.
    /// </summary>
    const string SignalSql = """
        WITH due AS (
            SELECT id, status, due_at, warn_at, sla_next_at FROM incident
            WHERE sla_next_at <= @now ORDER BY sla_next_at LIMIT @batch FOR UPDATE SKIP LOCKED),
        signals AS (
            SELECT d.id, d.due_at, k.kind,
                   CASE d.status WHEN 'reported' THEN 'accept' WHEN 'on_scene' THEN 'resolve' ELSE 'arrive' END AS stage
            FROM due d
            CROSS JOIN LATERAL (VALUES ('warning', d.warn_at), ('breach', d.due_at)) k (kind, at)
            WHERE k.at <= @now AND k.at >= d.sla_next_at),
        moved AS (
            UPDATE incident i SET sla_next_at = CASE WHEN d.due_at > @now THEN d.due_at END FROM due d WHERE i.id = d.id),
        fresh AS (
            INSERT INTO sla_signal (incident_id, due_at, kind, stage, at)
            SELECT id, due_at, kind, stage, @now FROM signals ON CONFLICT DO NOTHING
            RETURNING incident_id, due_at, kind, stage),
        events AS (
            INSERT INTO outbox (type, scope, also_scopes, to_field, data)
            SELECT @type, i.grid_code, live_also_scopes(i), false,
                   jsonb_build_object('incidentId', i.id, 'kind', f.kind, 'stage', f.stage, 'status', i.status,
                                      'dueAt', beijing(f.due_at), 'warnAt', beijing(i.warn_at), 'level', i.level, 'priority', i.priority,
                                      'categoryCode', i.category_code, 'categoryName', c.name, 'description', left(i.description, 120),
                                      'gridCode', i.grid_code, 'villageCode', i.village_code, 'townshipCode', i.township_code,
                                      'districtCode', i.district_code)
            FROM fresh f JOIN incident i ON i.id = f.incident_id JOIN category c ON c.code = i.category_code
            ORDER BY f.incident_id, f.kind = 'breach')
        SELECT (SELECT count(*)::int FROM due) AS handled,
               ARRAY(SELECT f.incident_id FROM fresh f JOIN due d ON d.id = f.incident_id
                     WHERE f.kind = 'breach' AND d.status IN ('reported', 'accepted', 'dispatched', 'acknowledged', 'on_scene')
                     ORDER BY f.incident_id) AS breached
        """;

    sealed record Round(int Handled, long[] Breached);

    const int Batch = 500;

    /// <summary>Members still silent after the acknowledge time, named once to the centres of the area.</summary>
    const string SilentSql = """
        WITH late AS (
            UPDATE assignment a SET ack_warned_at = @now
            WHERE a.status = 'pending' AND a.ack_warned_at IS NULL AND a.assigned_at <= @now - make_interval(secs => @seconds)
            RETURNING a.*)
        INSERT INTO outbox (type, scope, also_scopes, to_field, data)
        SELECT @type, i.grid_code, live_also_scopes(i), false,
               jsonb_build_object('id', l.id, 'incidentId', l.incident_id, 'staffId', l.staff_id, 'staffCode', s.code, 'staffName', s.name,
                                  'role', l.role, 'assignedAt', beijing(l.assigned_at), 'warnedAt', beijing(@now))
        FROM late l JOIN incident i ON i.id = l.incident_id JOIN staff s ON s.id = l.staff_id
        ORDER BY l.id
        """;

    readonly TimeSpan _acknowledgeWithin = config.GetValue("Supervision:AcknowledgeWithin", TimeSpan.FromMinutes(10));

    /// <summary>The moment the last completed round looked at (the clock's, not the wall's): what a health check or a test waits for.</summary>
    public DateTimeOffset? LastRound { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        await startup.WhenReadyAsync(ct);
        using var timer = new PeriodicTimer(_every, clock);
        do
        {
            try
            {
                await SignalDueAsync(ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                log.LogWarning(e, "SLA 时限检查失败，{Every} 后重试", _every);
            }
        } while (await timer.WaitForNextTickAsync(ct));
    }

    /// <summary>Gives every signal due by now, a batch of incidents at a time.</summary>
    public async Task SignalDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        Round round;
        do
        {
            // A breach and the escalation it causes commit together: neither is given without the other.
            await using var conn = await db.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            round = await conn.QuerySingleAsync<Round>(new CommandDefinition(SignalSql,
                new { now, batch = Batch, type = EventTypes.IncidentSla }, tx, cancellationToken: ct));
            foreach (var id in round.Breached) await escalate.ApplyAsync(conn, tx, id, ct);
            await tx.CommitAsync(ct);
        } while (round.Handled == Batch);
        await using (var conn = await db.OpenConnectionAsync(ct))
            await conn.ExecuteAsync(new CommandDefinition(SilentSql, new
            {
                now, seconds = _acknowledgeWithin.TotalSeconds, type = EventTypes.AssignmentUnacknowledged,
            }, cancellationToken: ct));
        LastRound = now;
    }
}
