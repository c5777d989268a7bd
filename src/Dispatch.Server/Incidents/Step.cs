using Dispatch.Server.Common;
using Dispatch.Server.Identity;
using Dispatch.Server.Staff;
using Dispatch.Server.Supervision;
using Npgsql;

namespace Dispatch.Server.Incidents;

/// <summary>
/// What one transition does inside its transaction: who may take it, what it does to the team,
/// the status <see cref="Lifecycle"/> gives, the new SLA deadline, and the timeline entry.
/// Returning a result means "refused"; the transaction is then rolled back.
/// </summary>
sealed class Step(NpgsqlConnection conn, NpgsqlTransaction tx, IncidentState incident, CurrentUser caller,
    IncidentAction action, TransitionRequest body, WorkingCalendar calendar, TimeProvider clock)
{
    static readonly string[] DispatchRoles = [Roles.Admin, Roles.Dispatcher, Roles.Supervisor];
    bool IsDispatcher => DispatchRoles.Any(caller.Is);

    public async Task<IResult?> AuthoriseAsync(CancellationToken ct)
    {
        // Whether the action may follow the status does not depend on who asks (nor on the team): a
        // step the status forbids is a conflict, 409, for everyone who may see the incident.
        if (Lifecycle.Next(incident.Status, action, new Team(1, 0), incident.Level) is null)
            return Problems.Conflict($"事件当前状态为 {incident.Status.Wire()}，不能执行 {action.Wire()}。");
        if (Lifecycle.IsMemberAction(action))
            return await MemberAssignmentAsync("pending", ct) is null
                ? Problems.Forbidden("只有被派遣且尚未答复的人员本人可以接单或拒单。")
                : null;
        if (Lifecycle.IsFieldAction(action) && !IsDispatcher)
            return await MemberAssignmentAsync("acknowledged", ct) is null ? Problems.Forbidden("您不是该事件已接单的处置人员。") : null;
        if (!IsDispatcher) return Problems.Forbidden("该操作需要调度员或督导权限。");
        // The ladder: a case escalated above the caller's centre is acted on there; below, it is only watched.
        return Lifecycle.MayAct(caller.Level, incident.Level)
            ? null
            : Problems.Forbidden($"该事件已由{Lifecycle.LevelName(incident.Level)}级综治中心负责，{Lifecycle.LevelName(caller.Level)}级只能查看进展。");
    }

    public async Task<IResult?> ApplyAsync(CancellationToken ct)
    {
        var level = incident.Level;
        switch (action)
        {
            case IncidentAction.Dispatch when await AssignAsync(ct) is { } refused: return refused;
            case IncidentAction.Acknowledge:
                await ExecAsync("UPDATE assignment SET status = 'acknowledged', responded_at = now() WHERE id = $1", ct, (await MemberAssignmentAsync("pending", ct))!);
                break;
            case IncidentAction.Decline:
                var declined = (await MemberAssignmentAsync("pending", ct))!.Value;
                await ExecAsync("UPDATE assignment SET status = 'declined', responded_at = now() WHERE id = $1", ct, declined);
                await FreeStaffAsync("SELECT staff_id FROM assignment WHERE id = $1", declined, ct);
                break;
            case IncidentAction.Escalate:
                level = Lifecycle.LevelAbove(level);
                break;
        }

        var next = Lifecycle.Next(incident.Status, action, await TeamAsync(ct), incident.Level)!.Value;
        if (Lifecycle.ReleasesTeam(next))
        {
            await FreeStaffAsync("SELECT staff_id FROM assignment WHERE incident_id = $1 AND status IN ('pending', 'acknowledged')", incident.Id, ct);
            await ExecAsync("UPDATE assignment SET status = 'released', responded_at = coalesce(responded_at, now()) WHERE incident_id = $1 AND status IN ('pending', 'acknowledged')", ct, incident.Id);
        }

        await ExecAsync("""
            UPDATE incident SET status = $2, level = $3, version = version + 1, updated_at = now(),
                   due_at = CASE WHEN $4 THEN due_at ELSE $5 END
            WHERE id = $1;
            INSERT INTO incident_event (incident_id, actor, action, from_status, to_status, note, location)
            VALUES ($1, $6, $7, $8, $2, $9, CASE WHEN $10::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($10, $11), 4326) END);
            {LiveEvents}
            """.Replace("{LiveEvents}", LiveEvents), ct, incident.Id, next.Wire(), level, Keeps(next), Typed(Deadline(next)), caller.Username,
            action.Wire(), incident.Status.Wire(), Typed(string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim()), Typed(body.Lon), Typed(body.Lat));
        return null;
    }

    /// <summary>
    /// The step's live events, in its transaction (the outbox): one per assignment the step created
    /// or changed (rows this transaction wrote carry its id in xmin), then the incident's new state.
    /// They reach the incident's area and everyone ever assigned to it — who may read it over REST.
    /// </summary>
    const string LiveEvents = """
        INSERT INTO outbox (type, scope, to_field, staff_ids, data)
        SELECT CASE WHEN a.assigned_at = now() THEN 'assignment.created' ELSE 'assignment.updated' END, i.grid_code, true,
               ARRAY(SELECT DISTINCT staff_id FROM assignment WHERE incident_id = $1 ORDER BY staff_id),
               jsonb_build_object('id', a.id, 'incidentId', a.incident_id, 'staffId', a.staff_id, 'staffCode', s.code,
                                  'staffName', s.name, 'role', a.role, 'status', a.status,
                                  'assignedAt', beijing(a.assigned_at), 'respondedAt', beijing(a.responded_at))
        FROM assignment a JOIN staff s ON s.id = a.staff_id JOIN incident i ON i.id = a.incident_id
        WHERE a.incident_id = $1 AND a.xmin = xid(pg_current_xact_id())
        ORDER BY a.id;
        INSERT INTO outbox (type, scope, to_field, staff_ids, data)
        SELECT 'incident.updated', i.grid_code, true,
               ARRAY(SELECT DISTINCT staff_id FROM assignment WHERE incident_id = $1 ORDER BY staff_id),
               live_incident(i, c.name, $7, $6)
        FROM incident i JOIN category c ON c.code = i.category_code WHERE i.id = $1
        """;

    /// <summary>A dispatched team works to the deadline set when the incident was accepted.</summary>
    static bool Keeps(IncidentStatus next) => next is IncidentStatus.Dispatched or IncidentStatus.Acknowledged;

    /// <summary>The SLA clock that runs after the step: to be on scene, to resolve, or none.</summary>
    DateTimeOffset? Deadline(IncidentStatus next) => next switch
    {
        IncidentStatus.Reported or IncidentStatus.Accepted or IncidentStatus.Escalated
            => calendar.Deadline(clock.GetUtcNow(), incident.ArriveMinutes, incident.WorkingHours),
        IncidentStatus.OnScene => calendar.Deadline(clock.GetUtcNow(), incident.ResolveMinutes, incident.WorkingHours),
        _ => null,
    };

    /// <summary>
    /// Dispatch to one person or a composite team: people of the caller's own area (anyone else is
    /// "not found", named by id only), one for each role the category needs that no live member
    /// fills yet — so a team is completed, or a member who declined replaced, never padded — and
    /// each free now (no double-booking).
    /// </summary>
    async Task<IResult?> AssignAsync(CancellationToken ct)
    {
        var ids = body.StaffIds?.Distinct().ToArray() ?? [];
        if (ids.Length is 0 or > 10) return Problems.Invalid("staffIds", "请选择 1 到 10 名处置人员。");
        await using var find = new NpgsqlCommand($"""
            SELECT id, name, kind, status FROM staff WHERE id = ANY ($1) AND {CurrentUser.CoversSql("$2")} ORDER BY id FOR UPDATE
            """, conn, tx) { Parameters = { new() { Value = ids }, new() { Value = caller.RegionCode } } };
        var found = new List<(long Id, string Name, string Kind, string Status)>();
        await using (var r = await find.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) found.Add((r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3)));
        if (found.Count != ids.Length)
            return Problems.Invalid("staffIds", $"找不到人员，或不在您的辖区内：{string.Join("、", ids.Except(found.Select(f => f.Id)))}。");

        var open = incident.Roles.ToList();
        await using (var live = new NpgsqlCommand("SELECT role FROM assignment WHERE incident_id = $1 AND status IN ('pending', 'acknowledged')", conn, tx)
                         { Parameters = { new() { Value = incident.Id } } })
        await using (var r = await live.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) open.Remove(r.GetString(0));
        foreach (var person in found)
            if (!open.Remove(person.Kind))
                return Problems.Invalid("staffIds", open.Count == 0 && found.Count == 1
                    ? $"该事件需要的处置人员（{Names(incident.Roles)}）均已派遣，不能再增派；如有人拒单，可补派其角色。"
                    : $"{person.Name}（{StaffKinds.NameOf(person.Kind)}）不是该事件尚缺的角色。该事件需要：{Names(incident.Roles)}；尚缺：{(open.Count == 0 ? "无" : Names(open))}。");
        if (found.Where(f => f.Status != "available").Select(f => f.Name).ToList() is { Count: > 0 } busy)
            return Problems.Conflict($"{string.Join("、", busy)} 当前不可派遣（忙碌或不在岗）。");

        await ExecAsync("""
            INSERT INTO assignment (incident_id, staff_id, role, assigned_by)
            SELECT $1, s.id, s.kind, $3 FROM staff s WHERE s.id = ANY ($2) ORDER BY s.id;
            UPDATE staff SET status = 'busy' WHERE id = ANY ($2)
            """, ct, incident.Id, ids, caller.Username);
        return null;
    }

    static string Names(IEnumerable<string> kinds) => string.Join("、", kinds.Select(StaffKinds.NameOf));

    async Task<long?> MemberAssignmentAsync(string status, CancellationToken ct)
    {
        if (caller.StaffId is not { } staff) return null;
        await using var cmd = new NpgsqlCommand("SELECT id FROM assignment WHERE incident_id = $1 AND staff_id = $2 AND status = $3", conn, tx)
            { Parameters = { new() { Value = incident.Id }, new() { Value = staff }, new() { Value = status } } };
        return await cmd.ExecuteScalarAsync(ct) as long?;
    }

    async Task<Team> TeamAsync(CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT count(*) FILTER (WHERE status IN ('pending', 'acknowledged'))::int, count(*) FILTER (WHERE status = 'acknowledged')::int
            FROM assignment WHERE incident_id = $1
            """, conn, tx) { Parameters = { new() { Value = incident.Id } } };
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new Team(r.GetInt32(0), r.GetInt32(1));
    }

    /// <summary>Makes the staff the query names available again, unless they went off duty meanwhile.</summary>
    Task FreeStaffAsync(string staffQuery, long parameter, CancellationToken ct) =>
        ExecAsync($"UPDATE staff SET status = 'available' WHERE status = 'busy' AND id IN ({staffQuery})", ct, parameter);

    /// <summary>Runs statements separated by ";" + newline as one batch (one round trip), each given all the parameters.</summary>
    async Task ExecAsync(string sql, CancellationToken ct, params object[] parameters)
    {
        await using var batch = new NpgsqlBatch(conn, tx);
        foreach (var statement in sql.Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var command = new NpgsqlBatchCommand(statement);
            foreach (var p in parameters) command.Parameters.Add(p as NpgsqlParameter is { } given ? given.Clone() : new NpgsqlParameter { Value = p });
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A parameter that may be null, with its type said, since PostgreSQL cannot infer one from a null.</summary>
    static NpgsqlParameter Typed(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };
    static NpgsqlParameter Typed(DateTimeOffset? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz };
    static NpgsqlParameter Typed(double? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double };
}
