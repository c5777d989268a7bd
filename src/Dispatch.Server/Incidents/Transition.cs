using Dispatch.Server.Regions;
using Dispatch.Server.Privacy;
using Dispatch.Server.Supervision;

namespace Dispatch.Server.Incidents;

/// <param name="Deadline">For <c>hand_down</c> (交办): by when the lower centre is to report it done.</param>
/// <param name="ConferenceId">For a step decided at a case conference: which one.</param>
/// <param name="MergeInto">For <c>merge</c> (并案): the case this one repeats.</param>
/// <param name="CentreCode">For <c>transfer</c> (转办): the centre of the same level, under the same superior, that takes the case.</param>
public sealed record TransitionRequest(string? Action, string? Note, long[]? StaffIds, double? Lon, double? Lat,
    DateTimeOffset? Deadline = null, long? ConferenceId = null, long? MergeInto = null, string? CentreCode = null);

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

    const string Relocate = """
        UPDATE incident SET location = ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), grid_code = @GridCode, village_code = @VillageCode,
               township_code = @TownshipCode, district_code = @DistrictCode
        WHERE id = @id
        """;

    static readonly string MergeTarget = $"""
        SELECT i.id FROM incident i
        WHERE i.id = @into AND i.id <> @id AND i.status NOT IN ('rejected', 'cancelled') AND {GetIncident.VisibleSql()}
        """;

    public static async Task<IResult> Handle(long id, HttpContext http, NpgsqlDataSource db, PersonalData personal,
        WorkingCalendar calendar, TimeProvider clock, GridLocator locator, CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<TransitionRequest>(http, ct);
        if (malformed is not null) return malformed;
        if (body is null || !JsonNames.TryParse<IncidentAction>(body.Action, out var action))
            return Problems.Invalid("action", $"action 应为 {string.Join("、", Enum.GetValues<IncidentAction>().Select(a => a.Wire()))} 之一。");
        if (IfMatch.Read(http.Request, out var expected) is { } missing) return missing;

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await StepAsync(conn, tx, id, caller, action, body, expected, calendar, clock, ct, locator: locator) is { } refused) return refused;
        await tx.CommitAsync(ct);

        // A relocation may have moved the case out of the caller's area: they are shown what they just did, once.
        var view = await GetIncident.LoadAsync(conn, null, id, caller, personal, ct)
                   ?? await GetIncident.LoadAsync(conn, null, id, caller with
                   {
                       RegionCode = await conn.ExecuteScalarAsync<string>(new CommandDefinition("SELECT centre_code FROM incident WHERE id = @id", new { id },
                           cancellationToken: ct)) ?? caller.RegionCode,
                   }, personal, ct);
        http.Response.Headers.ETag = view!.ETag;
        return TypedResults.Ok(view);
    }

    /// <summary>
    /// The step inside the caller's transaction — for the API, a conference's decision and the
    /// platform's own escalations alike: null when taken, else the refusal to answer (roll back).
    /// Without <paramref name="expected"/> the step is taken on whatever version the lock found.
    /// </summary>
    public static async Task<IResult?> StepAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long id, CurrentUser caller, IncidentAction action,
        TransitionRequest body, int? expected, WorkingCalendar calendar, TimeProvider clock, CancellationToken ct, string cause = Escalations.ByHand,
        GridLocator? locator = null)
    {
        if (body.Note is { Length: > 2000 }) return Problems.Invalid("note", "备注不能超过 2000 字。");
        if (action is IncidentAction.Escalate or IncidentAction.PullUp or IncidentAction.HandDown && string.IsNullOrWhiteSpace(body.Note))
            return Problems.Invalid("note", action switch
            {
                IncidentAction.Escalate => "上报升级须写明理由。",
                IncidentAction.PullUp => "提级须写明理由。",
                _ => "交办须写明要求。",
            });
        if (action is IncidentAction.Relocate or IncidentAction.Merge or IncidentAction.Transfer && string.IsNullOrWhiteSpace(body.Note))
            return Problems.Invalid("note", action switch { IncidentAction.Relocate => "改址须写明原因。", IncidentAction.Merge => "并案须写明理由。", _ => "转办须写明理由。" });
        GridPlace? place = null;
        if (action == IncidentAction.Relocate)
        {
            if (body.Lon is not { } lon || body.Lat is not { } lat || !double.IsFinite(lon) || !double.IsFinite(lat))
                return Problems.Invalid("lon", "改址须给出新的位置（lon、lat）。");
            if ((place = locator?.Locate(lon, lat)) is null) return Problems.Unprocessable("该位置不在鹤壁市范围内。", "lon");
        }
        if (action == IncidentAction.Merge && body.MergeInto is null) return Problems.Invalid("mergeInto", "并案须给出被并入的事件编号 mergeInto。");
        if (action == IncidentAction.HandDown && (body.Deadline is not { } deadline || deadline <= clock.GetUtcNow() || deadline > clock.GetUtcNow().AddYears(1)))
            return Problems.Invalid("deadline", "交办须给出一年之内的办结时限（deadline）。");

        var row = await conn.QuerySingleOrDefaultAsync<Locked>(new CommandDefinition(Lock,
            new { id, region = caller.RegionCode, staff = caller.StaffId }, tx, cancellationToken: ct));
        if (row is null) return Problems.NotFound($"没有编号为 {id} 的事件，或它不在您的辖区内。");
        var state = new IncidentState(id, GetIncident.Parse(row.Status), row.Version, row.Level, row.CentreCode, row.CentreName, row.GridCode,
            row.Roles, row.ArriveMinutes, row.ResolveMinutes, row.WorkingHours);
        if (expected is { } seen && state.Version != seen)
            return Problems.Stale($"事件已被他人更新（当前版本 {state.Version}，您看到的是 {seen}），请刷新后再操作。");

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
                if (!await Escalations.RecordAsync(conn, tx, id, cause, state.CentreCode, centre, body.Note!, caller.Username, ct))
                    return Problems.Conflict("该事件已因同一原因自动上报过。");
                break;
            case IncidentAction.PullUp:
                centre = caller.RegionCode;
                break;
            case IncidentAction.ReportDone:
                if (await HandDowns.ReportAsync(conn, tx, id, state.CentreCode, body.Note, caller.Username, ct) is not { } superior)
                    return Problems.Conflict("该事件没有交办给本中心、尚待报告的事项。");
                centre = superior;
                break;
            case IncidentAction.Relocate:
                // The centre keeps its level on the new place: a village's case goes to the new place's village.
                centre = Centres.Of(place!, state.Level);
                await conn.ExecuteAsync(new CommandDefinition(Relocate, new
                {
                    id, lon = body.Lon, lat = body.Lat, place!.GridCode, place.VillageCode, place.TownshipCode, place.DistrictCode,
                }, tx, cancellationToken: ct));
                break;
            case IncidentAction.Transfer:
                if (body.CentreCode is not { } target || target == state.CentreCode || Centres.Parent(target) is not { } parent
                    || parent != Centres.Parent(state.CentreCode)
                    || !await conn.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM region WHERE code = @target)",
                        new { target }, tx, cancellationToken: ct)))
                    return Problems.Invalid("centreCode", "转办须给出同一上级中心下另一个同级综治中心的编码 centreCode。");
                centre = target;
                break;
            case IncidentAction.Merge:
                var into = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(MergeTarget,
                    new { into = body.MergeInto, id, region = caller.RegionCode, staff = caller.StaffId }, tx, cancellationToken: ct));
                if (into is null) return Problems.Invalid("mergeInto", $"事件 #{body.MergeInto} 不存在、已撤销或不在您的辖区内。");
                await conn.ExecuteAsync(new CommandDefinition("UPDATE incident SET duplicate_of = @into WHERE id = @id", new { into, id }, tx,
                    cancellationToken: ct));
                break;
            case IncidentAction.HandDown:
                if (HandDowns.Below(state) is not { } lower)
                    return Problems.Conflict("该事件所在地没有更低一级的综治中心可以交办。");
                centre = lower;
                await HandDowns.OpenAsync(conn, tx, id, state.CentreCode, lower, body.Note!.Trim(), body.Deadline!.Value, body.ConferenceId,
                    caller.Username, ct);
                break;
        }
        await RecordStep.ApplyAsync(conn, tx, new RecordStep.Taken(state, action, centre, caller.Username, body), calendar, clock, ct);
        return null;
    }
}

public sealed record IncidentState(long Id, IncidentStatus Status, int Version, string Level, string CentreCode, string CentreName, string GridCode,
    string[] Roles, int ArriveMinutes, int ResolveMinutes, bool WorkingHours);
