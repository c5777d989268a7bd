using Dispatch.Server.Incidents;
using Dispatch.Server.Privacy;
using Dispatch.Server.Supervision;

namespace Dispatch.Server.FollowUps;

/// <param name="Result"><c>satisfied</c> 满意, <c>basic</c> 基本满意, <c>unsatisfied</c> 不满意, <c>unreachable</c> 联系不上.</param>
public sealed record FollowUpResult(string? Result, string? Note);

/// <summary>
/// A follow-up call recorded, once, by a dispatcher, supervisor or admin of the case's area. 不满意
/// reopens a closed case to the centre holding it (closed → reopen), by the platform, in the same
/// transaction: the reporter's word is enough to put the work back on the desk.
/// </summary>
public static class RecordFollowUp
{
    const string Lock = """
        SELECT f.status, f.incident_id, i.status AS incident_status, i.centre_code, i.grid_code
        FROM follow_up f JOIN incident i ON i.id = f.incident_id WHERE f.id = @id FOR UPDATE OF f, i
        """;

    const string Done = """
        UPDATE follow_up SET status = 'done', result = @result, note = @note, done_by = @by, done_at = now() WHERE id = @id
        """;

    static readonly string Read = $"""
        SELECT {FollowUpsApi.Columns}, 0::bigint AS total
        FROM follow_up f JOIN incident i ON i.id = f.incident_id JOIN category c ON c.code = i.category_code WHERE f.id = @id
        """;

    sealed record Row(string Status, long IncidentId, string IncidentStatus, string CentreCode, string GridCode);

    public static async Task<IResult> Handle(long id, HttpContext http, NpgsqlDataSource db, PersonalData personal, WorkingCalendar calendar,
        TimeProvider clock, CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<FollowUpResult>(http, ct);
        if (malformed is not null) return malformed;
        if (body?.Result is not { } result || !FollowUpsApi.Results.Contains(result))
            return Problems.Invalid("result", "result 应为 satisfied（满意）、basic（基本满意）、unsatisfied（不满意）或 unreachable（联系不上）。");
        if (body.Note is { Length: > 2000 }) return Problems.Invalid("note", "备注不能超过 2000 字。");
        var note = string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim();

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Lock, new { id }, tx, cancellationToken: ct));
        // The area as for the incident: where it is, or the centre that now holds it (a transferred case).
        if (row is null || !(caller.Covers(row.GridCode) || caller.RegionCode == row.CentreCode))
            return Problems.NotFound($"没有编号为 {id} 的回访，或它不在您的辖区内。");
        if (row.Status == "done") return Problems.Conflict("该回访已记录过结果。");
        await conn.ExecuteAsync(new CommandDefinition(Done, new { id, result, note, by = caller.Username }, tx, cancellationToken: ct));

        // A case reopened meanwhile (by a mediation visit, say) is already back on the desk.
        if (result == "unsatisfied" && row.IncidentStatus == "closed")
        {
            var platform = new CurrentUser(EscalateOverdue.Actor, "平台自动", [Roles.Dispatcher], row.CentreCode, null);
            if (await Transition.StepAsync(conn, tx, row.IncidentId, platform, IncidentAction.Reopen, new TransitionRequest("reopen",
                    $"回访不满意（{caller.Username}）：{Shorten(note) ?? "无备注"}。重新交由综治中心处置。", null, null, null), expected: null, calendar, clock, ct) is { } refused)
                return refused;
        }
        await tx.CommitAsync(ct);
        var view = await conn.QuerySingleAsync<ListFollowUps.Row>(new CommandDefinition(Read, new { id }, cancellationToken: ct));
        return TypedResults.Ok(view.ToView(caller, personal));
    }

    /// <summary>The operator's note inside the timeline's own (at most 2000 characters, as every step's).</summary>
    static string? Shorten(string? note) => note is { Length: > 1900 } ? note[..1900] + "…" : note;
}
