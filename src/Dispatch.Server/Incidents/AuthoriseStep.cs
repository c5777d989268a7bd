namespace Dispatch.Server.Incidents;

/// <summary>
/// Who may take a step: the action must follow the status (409 for everyone who may see the
/// incident); a member answers only their own pending assignment; field actions are for the
/// acknowledged team or a dispatcher; the rest for dispatchers at the incident's level or above.
/// </summary>
static class AuthoriseStep
{
    static readonly string[] DispatchRoles = [Roles.Admin, Roles.Dispatcher, Roles.Supervisor];

    public static bool IsDispatcher(CurrentUser caller) => DispatchRoles.Any(caller.Is);

    /// <summary>The refusal to answer, or null when the caller may take the step.</summary>
    public static async Task<IResult?> CheckAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IncidentState incident, CurrentUser caller,
        IncidentAction action, CancellationToken ct)
    {
        // Whether the action may follow the status does not depend on who asks (nor on the team).
        if (Lifecycle.Next(incident.Status, action, new Team(1, 0), incident.Level) is null)
            return Problems.Conflict($"事件当前状态为 {incident.Status.Wire()}，不能执行 {action.Wire()}。");
        if (Lifecycle.IsMemberAction(action))
            return await RespondToAssignment.OwnAsync(conn, tx, incident.Id, caller, "pending", ct) is null
                ? Problems.Forbidden("只有被派遣且尚未答复的人员本人可以接单或拒单。")
                : null;
        if (Lifecycle.IsFieldAction(action) && !IsDispatcher(caller))
            return await RespondToAssignment.OwnAsync(conn, tx, incident.Id, caller, "acknowledged", ct) is null
                ? Problems.Forbidden("您不是该事件已接单的处置人员。")
                : null;
        if (!IsDispatcher(caller)) return Problems.Forbidden("该操作需要调度员或督导权限。");
        // The ladder: a case escalated above the caller's centre is acted on there; below, it is only watched.
        return Lifecycle.MayAct(caller.Level, incident.Level)
            ? null
            : Problems.Forbidden($"该事件已由{Lifecycle.LevelName(incident.Level)}级综治中心负责，{Lifecycle.LevelName(caller.Level)}级只能查看进展。");
    }
}
