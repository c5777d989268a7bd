using Dispatch.Server.Live;
using Dispatch.Server.Supervision;

namespace Dispatch.Server.Incidents;

/// <summary>
/// The step's effect on the incident, after its effect on the team: the status <see cref="Lifecycle"/>
/// gives for the team as it now stands, the team released when the work is over, the new SLA
/// deadline, the timeline entry (with the 满意度回访 a closure schedules), and the live events — all in the step's transaction.
/// </summary>
static class RecordStep
{
    /// <summary>A step as taken: by whom, with what note and position, leaving the incident with the centre <paramref name="CentreCode"/>.</summary>
    public sealed record Taken(IncidentState Incident, IncidentAction Action, string CentreCode, string Actor, TransitionRequest Body);

    sealed record TeamRow(int Live, int Acknowledged);

    const string ReleaseSql = """
        UPDATE staff SET status = 'available' WHERE status = 'busy'
          AND id IN (SELECT staff_id FROM assignment WHERE incident_id = @id AND status IN ('pending', 'acknowledged'));
        UPDATE assignment SET status = 'released', responded_at = coalesce(responded_at, now())
        WHERE incident_id = @id AND status IN ('pending', 'acknowledged')
        """;

    /// <summary>
    /// The status change and timeline entry, then the live events (the outbox): one per assignment
    /// the step created or changed (rows this transaction wrote carry its id in xmin), then the
    /// incident's new state. They reach the incident's area, the centre holding it and the departments
    /// working on it, and everyone ever assigned to it — who may read it over REST.
    /// </summary>
    const string ChangeSql = """
        -- The step's entry first: it keeps the deadline it was taken against (the incident's until now).
        -- A closure of a case with a reporter's phone puts a 满意度回访 on the list, keyed by this entry
        -- (FollowUps/ScheduleFollowUp.cs), for the centre that closes it.
        WITH e AS (
            INSERT INTO incident_event (incident_id, actor, action, from_status, to_status, note, location, due_at)
            SELECT @id, @actor, @action, @fromStatus, @next, @note,
                   CASE WHEN @lon::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(@lon, @lat), 4326) END, i.due_at
            FROM incident i WHERE i.id = @id
            RETURNING id)
        INSERT INTO follow_up (incident_id, closing_event, due_on, centre_code)
        SELECT i.id, e.id, @followUpDue::date, @centre FROM e JOIN incident i ON i.id = @id
        WHERE @next = 'closed' AND i.reporter_phone IS NOT NULL;
        UPDATE incident SET status = @next, level = @level, centre_code = @centre, version = version + 1, updated_at = now(),
               due_at = CASE WHEN @keeps THEN due_at ELSE @due END, warn_at = CASE WHEN @keeps THEN warn_at ELSE @warn END,
               sla_next_at = CASE WHEN @keeps THEN sla_next_at ELSE @warn END
        WHERE id = @id;
        -- A 督办 is done when the case ends (closed, or rejected or cancelled); late if that is after its date.
        UPDATE supervision_order SET status = 'done', done_at = now()
        WHERE incident_id = @id AND status <> 'done' AND @next IN ('closed', 'rejected', 'cancelled');
        INSERT INTO outbox (type, scope, also_scopes, to_field, staff_ids, data)
        SELECT CASE WHEN a.assigned_at = now() THEN @assignmentCreated ELSE @assignmentUpdated END, i.grid_code, live_also_scopes(i), true,
               ARRAY(SELECT DISTINCT staff_id FROM assignment WHERE incident_id = @id ORDER BY staff_id),
               jsonb_build_object('id', a.id, 'incidentId', a.incident_id, 'staffId', a.staff_id, 'staffCode', s.code,
                                  'staffName', s.name, 'role', a.role, 'status', a.status,
                                  'assignedAt', beijing(a.assigned_at), 'respondedAt', beijing(a.responded_at))
        FROM assignment a JOIN staff s ON s.id = a.staff_id JOIN incident i ON i.id = a.incident_id
        WHERE a.incident_id = @id AND a.xmin = xid(pg_current_xact_id())
        ORDER BY a.id;
        INSERT INTO outbox (type, scope, also_scopes, to_field, staff_ids, data)
        SELECT @incidentUpdated, i.grid_code, live_also_scopes(i), true,
               ARRAY(SELECT DISTINCT staff_id FROM assignment WHERE incident_id = @id ORDER BY staff_id),
               live_incident(i, c.name, @action, @actor)
        FROM incident i JOIN category c ON c.code = i.category_code WHERE i.id = @id
        """;

    public static async Task ApplyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Taken step, WorkingCalendar calendar, TimeProvider clock,
        CancellationToken ct)
    {
        var incident = step.Incident;
        var team = await conn.QuerySingleAsync<TeamRow>(new CommandDefinition("""
            SELECT count(*) FILTER (WHERE status IN ('pending', 'acknowledged'))::int AS live, count(*) FILTER (WHERE status = 'acknowledged')::int AS acknowledged
            FROM assignment WHERE incident_id = @id
            """, new { id = incident.Id }, tx, cancellationToken: ct));
        var next = Lifecycle.Next(incident.Status, step.Action, new Team(team.Live, team.Acknowledged), incident.Level)!.Value;
        if (Lifecycle.ReleasesTeam(next))
            await conn.ExecuteAsync(new CommandDefinition(ReleaseSql, new { id = incident.Id }, tx, cancellationToken: ct));

        var stage = Deadline(incident, next, calendar, clock.GetUtcNow());
        await conn.ExecuteAsync(new CommandDefinition(ChangeSql, new
        {
            id = incident.Id, next = next.Wire(), level = Centres.LevelOf(step.CentreCode), centre = step.CentreCode, keeps = Keeps(next), due = stage?.Due, warn = stage?.Warn,
            actor = step.Actor, action = step.Action.Wire(), fromStatus = incident.Status.Wire(), followUpDue = FollowUps.ScheduleFollowUp.DueOn(clock.GetUtcNow()),
            note = string.IsNullOrWhiteSpace(step.Body.Note) ? null : step.Body.Note.Trim(), lon = step.Body.Lon, lat = step.Body.Lat,
            assignmentCreated = EventTypes.AssignmentCreated, assignmentUpdated = EventTypes.AssignmentUpdated, incidentUpdated = EventTypes.IncidentUpdated,
        }, tx, cancellationToken: ct));
    }

    /// <summary>A dispatched team works to the deadline set when the incident was accepted.</summary>
    static bool Keeps(IncidentStatus next) => next is IncidentStatus.Dispatched or IncidentStatus.Acknowledged;

    /// <summary>The SLA clock that runs after the step: to be on scene, to resolve, or none.</summary>
    static StageClock? Deadline(IncidentState incident, IncidentStatus next, WorkingCalendar calendar, DateTimeOffset now) => next switch
    {
        IncidentStatus.Reported or IncidentStatus.Accepted or IncidentStatus.Escalated
            => StageClock.Start(calendar, now, incident.ArriveMinutes, incident.WorkingHours),
        IncidentStatus.OnScene => StageClock.Start(calendar, now, incident.ResolveMinutes, incident.WorkingHours),
        _ => null,
    };
}
