using Dispatch.Server.Incidents;
using Dispatch.Server.Supervision;

namespace Dispatch.Server.Mediation;

/// <param name="Finding"><c>settled</c> (协议履行，矛盾化解) or <c>alive</c> (纠纷仍在).</param>
public sealed record VisitFinding(string? Finding, string? Note);

/// <summary>
/// A return visit done: by the staff member it was given to or a dispatcher of the area. When the
/// dispute is still alive the case is reopened to its centre (closed → reopen, resolved or verified →
/// rework), by the platform, in the same transaction.
/// </summary>
public static class RecordVisit
{
    const string Lock = """
        SELECT v.status, v.staff_id, i.id AS incident_id, i.status AS incident_status, i.centre_code, i.grid_code
        FROM mediation_visit v JOIN incident i ON i.id = v.incident_id WHERE v.id = @id FOR UPDATE OF v, i
        """;

    const string Done = """
        UPDATE mediation_visit SET status = 'done', finding = @finding, note = @note, done_by = @by, done_at = now() WHERE id = @id
        """;

    sealed record Row(string Status, long? StaffId, long IncidentId, string IncidentStatus, string CentreCode, string GridCode);

    public static async Task<IResult> Handle(long id, HttpContext http, NpgsqlDataSource db, WorkingCalendar calendar, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<VisitFinding>(http, ct);
        if (malformed is not null) return malformed;
        if (body?.Finding is not ("settled" or "alive")) return Problems.Invalid("finding", "finding 应为 settled（矛盾已化解）或 alive（纠纷仍在）。");
        if (body.Note is { Length: > 2000 }) return Problems.Invalid("note", "备注不能超过 2000 字。");

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Lock, new { id }, tx, cancellationToken: ct));
        var mayRecord = row is not null && (caller.StaffId is { } staff ? row.StaffId == staff : AuthoriseStep.IsDispatcher(caller) && caller.Covers(row.GridCode));
        if (!mayRecord) return Problems.NotFound($"没有编号为 {id} 的回访，或它不是您的。");
        if (row!.Status == "done") return Problems.Conflict("该回访已完成。");
        await conn.ExecuteAsync(new CommandDefinition(Done, new { id, finding = body.Finding, note = body.Note?.Trim(), by = caller.Username }, tx,
            cancellationToken: ct));

        var reopen = row.IncidentStatus switch
        {
            "closed" => IncidentAction.Reopen,
            "resolved" or "verified" => IncidentAction.Rework,
            _ => (IncidentAction?)null,
        };
        if (body.Finding == "alive" && reopen is { } action)
        {
            var platform = new CurrentUser(EscalateOverdue.Actor, "平台自动", [Roles.Dispatcher], row.CentreCode, null);
            if (await Transition.StepAsync(conn, tx, row.IncidentId, platform, action, new TransitionRequest(action.Wire(),
                    $"回访发现纠纷仍未化解（{caller.Username}）：{body.Note?.Trim() ?? "无备注"}。重新交由综治中心处置。", null, null, null),
                    expected: null, calendar, clock, ct) is { } refused)
                return refused;
        }
        await tx.CommitAsync(ct);
        var view = await conn.QuerySingleAsync<VisitView>(new CommandDefinition("""
            SELECT v.id, v.incident_id, c.name AS category_name, left(i.description, 200) AS description, v.after_days, v.due_on, s.code AS staff_code,
                   v.status, v.finding, v.note, v.done_by, v.done_at
            FROM mediation_visit v JOIN incident i ON i.id = v.incident_id JOIN category c ON c.code = i.category_code LEFT JOIN staff s ON s.id = v.staff_id
            WHERE v.id = @id
            """, new { id }, cancellationToken: ct));
        return TypedResults.Ok(view with { DoneAt = Clock.Local(view.DoneAt) });
    }
}
