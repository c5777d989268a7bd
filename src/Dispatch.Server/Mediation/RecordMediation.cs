using Dispatch.Server.Incidents;
using Dispatch.Server.Supervision;

namespace Dispatch.Server.Mediation;

/// <param name="Outcome"><c>agreement</c> (达成协议) or <c>failed</c> (调解不成).</param>
/// <param name="MediatedBy"><c>people</c> 人民调解, <c>administrative</c> 行政调解, <c>judicial</c> 司法调解, <c>industry</c> 行业调解.</param>
public sealed record MediationOutcome(string? Outcome, string? MediatedBy, string? Note);

public sealed record MediationView(long IncidentId, string Outcome, string MediatedBy, string MediatedByName, string? Note, string RecordedBy,
    DateTimeOffset RecordedAt, IReadOnlyList<DateOnly> VisitsDue);

/// <summary>
/// The mediation's outcome, once per dispute, by the team on the scene or the responsible centre,
/// while the case is on scene or resolved: an agreement schedules the return visits; a failure on the
/// scene climbs to the centre above (cause <c>mediation_failed</c>), in the same transaction.
/// </summary>
public static class RecordMediation
{
    static readonly string[] Outcomes = ["agreement", "failed"];
    static readonly string[] By = ["people", "administrative", "judicial", "industry"];

    const string Lock = """
        SELECT i.status, i.category_code, i.centre_code FROM incident i WHERE i.id = @id FOR UPDATE
        """;

    const string Insert = """
        INSERT INTO mediation (incident_id, outcome, mediated_by, note, recorded_by) VALUES (@id, @outcome, @by, @note, @user)
        ON CONFLICT (incident_id) DO NOTHING
        """;

    // The visitor: the case's mediator, else its grid worker, else whoever is on its team.
    const string Visits = """
        INSERT INTO mediation_visit (incident_id, after_days, due_on, staff_id)
        SELECT @id, d, (@today::date + d),
               (SELECT a.staff_id FROM assignment a WHERE a.incident_id = @id AND a.status NOT IN ('declined', 'replaced')
                ORDER BY a.role = 'mediator' DESC, a.role = 'grid_worker' DESC, a.id DESC LIMIT 1)
        FROM unnest(@days::int[]) d
        ON CONFLICT DO NOTHING
        """;

    sealed record Row(string Status, string CategoryCode, string CentreCode);

    public static async Task<IResult> Handle(long id, HttpContext http, NpgsqlDataSource db, WorkingCalendar calendar, TimeProvider clock,
        IConfiguration config, CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<MediationOutcome>(http, ct);
        if (malformed is not null) return malformed;
        var errors = new Dictionary<string, string[]>();
        if (body?.Outcome is not { } outcome || !Outcomes.Contains(outcome)) errors["outcome"] = ["outcome 应为 agreement（达成协议）或 failed（调解不成）。"];
        if (body?.MediatedBy is not { } by || !By.Contains(by)) errors["mediatedBy"] = ["mediatedBy 应为 people、administrative、judicial 或 industry。"];
        if (body?.Note is { Length: > 2000 }) errors["note"] = ["备注不能超过 2000 字。"];
        if (errors.Count > 0) return Problems.Invalid(errors);

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var visible = await conn.ExecuteScalarAsync<long?>(new CommandDefinition($"SELECT i.id FROM incident i WHERE i.id = @id AND {GetIncident.VisibleSql()}",
            new { id, region = caller.RegionCode, staff = caller.StaffId }, tx, cancellationToken: ct));
        if (visible is null) return Problems.NotFound($"没有编号为 {id} 的事件，或它不在您的辖区内。");
        var row = await conn.QuerySingleAsync<Row>(new CommandDefinition(Lock, new { id }, tx, cancellationToken: ct));
        var onTeam = await RespondToAssignment.OwnAsync(conn, tx, id, caller, "acknowledged", ct) is not null;
        if (!onTeam && !(AuthoriseStep.IsDispatcher(caller) && caller.RegionCode == row.CentreCode))
            return Problems.Forbidden("调解结果应由在场处置人员或负责该事件的综治中心记录。");
        if (!row.CategoryCode.StartsWith("dispute", StringComparison.Ordinal)) return Problems.Conflict("只有矛盾纠纷类事件记录调解结果。");
        if (row.Status is not ("on_scene" or "resolved")) return Problems.Conflict($"事件当前状态为 {row.Status}，调解结果在现场处置中或处置完成时记录。");
        if (await conn.ExecuteAsync(new CommandDefinition(Insert, new { id, outcome = body!.Outcome, by = body.MediatedBy, note = body.Note?.Trim(), user = caller.Username },
                tx, cancellationToken: ct)) == 0)
            return Problems.Conflict("该事件已记录过调解结果。");

        var days = (config["Supervision:ReturnVisitDays"] ?? "7,30").Split(',').Select(d => int.Parse(d.Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var today = DateOnly.FromDateTime(Clock.Local(clock.GetUtcNow()).DateTime);
        if (body.Outcome == "agreement")
            await conn.ExecuteAsync(new CommandDefinition(Visits, new { id, today, days }, tx, cancellationToken: ct));
        else if (row.Status == "on_scene" && Centres.Parent(row.CentreCode) is not null)
        {
            var platform = new CurrentUser(EscalateOverdue.Actor, "平台自动", [Roles.Dispatcher], row.CentreCode, null);
            await Transition.StepAsync(conn, tx, id, platform, IncidentAction.Escalate, new TransitionRequest("escalate",
                $"{MediationApi.NameOf(body.MediatedBy!)}未能达成协议，自动上报上级综治中心。", null, null, null), expected: null, calendar, clock, ct,
                Escalations.MediationFailed);
        }
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/incidents/{id}/mediation", new MediationView(id, body.Outcome!, body.MediatedBy!, MediationApi.NameOf(body.MediatedBy!),
            body.Note?.Trim(), caller.Username, Clock.Local(clock.GetUtcNow()), body.Outcome == "agreement" ? [.. days.Select(d => today.AddDays(d))] : []));
    }
}
