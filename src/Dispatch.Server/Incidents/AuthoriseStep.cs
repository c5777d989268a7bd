using Dispatch.Server.Supervision;

namespace Dispatch.Server.Incidents;

/// <summary>
/// Who may take a step: the action must follow the status (409 for everyone who may see the
/// incident); a member answers only their own pending assignment; field actions are for the
/// acknowledged team or a dispatcher; the rest for the dispatchers and supervisors of the responsible centre
/// (a superior centre may pull the case up first).
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
        // 四级综治中心: the responsible centre acts; a superior takes the case over first (提级); the rest watch.
        if (action == IncidentAction.PullUp)
            return Centres.Above(caller.RegionCode, incident.CentreCode)
                ? null
                : Problems.Forbidden($"只有{incident.CentreName}综治中心的上级中心可以提级。");
        return caller.RegionCode == incident.CentreCode
            ? null
            : Problems.Forbidden(Centres.Above(caller.RegionCode, incident.CentreCode)
                ? $"该事件由{incident.CentreName}综治中心负责；上级中心如需直接处置，请先提级。"
                : $"该事件由{incident.CentreName}综治中心负责，您只能查看进展。");
    }
}
