using Dispatch.Server.Incidents;
using Dispatch.Server.Supervision;

namespace Dispatch.Server.Conferences;

/// <param name="Decision"><c>settle</c> (this centre handles it: accept), <c>hand_down</c> (交办 to the centre below, with
/// <paramref name="Deadline"/>), <c>escalate</c> (to the centre above), <c>close</c> (settled at the meeting).</param>
public sealed record ConferenceDecision(long? IncidentId, string? Decision, string? Note, DateTimeOffset? Deadline);

/// <summary>
/// The conference's decision on one case of its agenda, taken as the incident's own lifecycle step by
/// the conference's centre, in one transaction with the record of the decision: both or neither.
/// </summary>
public static class Decide
{
    static readonly Dictionary<string, IncidentAction> Actions = new()
    {
        ["settle"] = IncidentAction.Accept, ["hand_down"] = IncidentAction.HandDown,
        ["escalate"] = IncidentAction.Escalate, ["close"] = IncidentAction.Close,
    };

    const string Lock = """
        SELECT ci.decision FROM conference_item ci JOIN conference c ON c.id = ci.conference_id
        WHERE ci.conference_id = @id AND ci.incident_id = @incidentId AND c.centre_code = @region FOR UPDATE OF ci
        """;

    const string Record = """
        UPDATE conference_item SET decision = @decision, note = @note, decided_by = @by, decided_at = now()
        WHERE conference_id = @id AND incident_id = @incidentId;
        UPDATE conference SET version = version + 1 WHERE id = @id
        """;

    public static async Task<IResult> Handle(long id, HttpContext http, NpgsqlDataSource db, WorkingCalendar calendar, TimeProvider clock,
        CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<ConferenceDecision>(http, ct);
        if (malformed is not null) return malformed;
        if (body?.IncidentId is not { } incidentId) return Problems.Invalid("incidentId", "请给出议题的事件编号 incidentId。");
        if (body.Decision is not { } decision || !Actions.TryGetValue(decision, out var action))
            return Problems.Invalid("decision", "decision 应为 settle（本级办理）、hand_down（交办）、escalate（继续上报）或 close（结案）之一。");
        if (string.IsNullOrWhiteSpace(body.Note)) return Problems.Invalid("note", "请写明会议的决定意见。");

        await using var conn = await db.OpenConnectionAsync(ct);
        if (await GetConference.LoadAsync(conn, null, id, caller, ct) is not { } conference)
            return Problems.NotFound($"没有编号为 {id} 的会议，或它不在您的辖区内。");
        if (conference.CentreCode != caller.RegionCode) return Problems.Forbidden($"只有{conference.CentreName}综治中心可以作出本会议的决定。");

        await using var tx = await conn.BeginTransactionAsync(ct);
        var earlier = await conn.QuerySingleOrDefaultAsync<ItemRow>(new CommandDefinition(Lock,
            new { id, incidentId, region = caller.RegionCode }, tx, cancellationToken: ct));
        if (earlier is null) return Problems.Invalid("incidentId", $"事件 #{incidentId} 不在本次会议的议题中。");
        if (earlier.Decision is not null) return Problems.Conflict($"本次会议已对事件 #{incidentId} 作出决定（{earlier.Decision}）。");

        var step = new TransitionRequest(action.Wire(), body.Note.Trim(), null, null, null, body.Deadline, id);
        if (await Transition.StepAsync(conn, tx, incidentId, caller, action, step, expected: null, calendar, clock, ct) is { } refused)
            return refused;
        await conn.ExecuteAsync(new CommandDefinition(Record, new { id, incidentId, decision, note = body.Note.Trim(), by = caller.Username },
            tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return TypedResults.Ok(await GetConference.LoadAsync(conn, null, id, caller, ct));
    }

    sealed record ItemRow(string? Decision);
}
