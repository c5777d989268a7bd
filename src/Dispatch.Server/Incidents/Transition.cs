using Dispatch.Server.Privacy;
using Dispatch.Server.Supervision;

namespace Dispatch.Server.Incidents;

public sealed record TransitionRequest(string? Action, string? Note, long[]? StaffIds, double? Lon, double? Lat);

/// <summary>
/// One step of the lifecycle, guarded three ways: the caller's area (404), the version they saw
/// (<c>If-Match</c>, 412 when another step came first), and <see cref="Lifecycle"/> (409). The
/// incident row is locked for the step, so of two simultaneous steps on one version exactly one
/// wins and the other sees a stale version. Inside its transaction the step is authorised
/// (<see cref="AuthoriseStep"/>), changes the team (<see cref="AssignStaff"/>,
/// <see cref="RespondToAssignment"/>), then the incident (<see cref="RecordStep"/>); a refusal
/// rolls it all back.
/// </summary>
public static class Transition
{
    // The centre's name comes from a subquery, not a join: a step that waited on the row lock rechecks a
    // join against the centre row it first read, so an escalation committed meanwhile would hide the
    // incident (404 instead of 412).
    static readonly string Lock = $"""
        SELECT i.status, i.version, i.level, i.centre_code, (SELECT r.name FROM region r WHERE r.code = i.centre_code) AS centre_name,
               i.grid_code, c.roles, coalesce(p.arrive_minutes, c.arrive_minutes) AS arrive_minutes,
               coalesce(p.resolve_minutes, c.resolve_minutes) AS resolve_minutes, c.working_hours
        FROM incident i JOIN category c ON c.code = i.category_code {CategorySla.JoinSql}
        WHERE i.id = @id AND {GetIncident.VisibleSql()} FOR UPDATE OF i
        """;

    sealed record Locked(string Status, int Version, string Level, string CentreCode, string CentreName, string GridCode, string[] Roles,
        int ArriveMinutes, int ResolveMinutes, bool WorkingHours);

    public static async Task<IResult> Handle(long id, HttpContext http, NpgsqlDataSource db, PersonalData personal,
        WorkingCalendar calendar, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<TransitionRequest>(http, ct);
        if (malformed is not null) return malformed;
        if (body is null || !JsonNames.TryParse<IncidentAction>(body.Action, out var action))
            return Problems.Invalid("action", $"action 应为 {string.Join("、", Enum.GetValues<IncidentAction>().Select(a => a.Wire()))} 之一。");
        if (body.Note is { Length: > 2000 }) return Problems.Invalid("note", "备注不能超过 2000 字。");
        if (action is IncidentAction.Escalate or IncidentAction.PullUp && string.IsNullOrWhiteSpace(body.Note))
            return Problems.Invalid("note", action == IncidentAction.Escalate ? "上报升级须写明理由。" : "提级须写明理由。");
        if (IfMatch.Read(http.Request, out var expected) is { } missing) return missing;

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Locked>(new CommandDefinition(Lock,
            new { id, region = caller.RegionCode, staff = caller.StaffId }, tx, cancellationToken: ct));
        if (row is null) return Problems.NotFound($"没有编号为 {id} 的事件，或它不在您的辖区内。");
        var state = new IncidentState(id, GetIncident.Parse(row.Status), row.Version, row.Level, row.CentreCode, row.CentreName, row.GridCode,
            row.Roles, row.ArriveMinutes, row.ResolveMinutes, row.WorkingHours);
        if (state.Version != expected)
            return Problems.Stale($"事件已被他人更新（当前版本 {state.Version}，您看到的是 {expected}），请刷新后再操作。");

        if (await AuthoriseStep.CheckAsync(conn, tx, state, caller, action, ct) is { } refused) return refused;
        var centre = state.CentreCode;
        switch (action)
        {
            case IncidentAction.Dispatch when await AssignStaff.ApplyAsync(conn, tx, state, caller, body.StaffIds, ct) is { } invalid:
                return invalid;
            case IncidentAction.Acknowledge or IncidentAction.Decline:
                await RespondToAssignment.ApplyAsync(conn, tx, id, caller, acknowledge: action == IncidentAction.Acknowledge, ct);
                break;
            case IncidentAction.Escalate:
                centre = Centres.Parent(centre)!;
                break;
            case IncidentAction.PullUp:
                centre = caller.RegionCode;
                break;
        }
        await RecordStep.ApplyAsync(conn, tx, new RecordStep.Taken(state, action, centre, caller.Username, body), calendar, clock, ct);
        await tx.CommitAsync(ct);

        var view = await GetIncident.LoadAsync(conn, null, id, caller, personal, ct);
        http.Response.Headers.ETag = view!.ETag;
        return TypedResults.Ok(view);
    }
}

public sealed record IncidentState(long Id, IncidentStatus Status, int Version, string Level, string CentreCode, string CentreName, string GridCode,
    string[] Roles, int ArriveMinutes, int ResolveMinutes, bool WorkingHours);
