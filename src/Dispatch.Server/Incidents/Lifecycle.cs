using System.Text.Json.Serialization;

namespace Dispatch.Server.Incidents;

/// <summary>The statuses of GB/T 30428's closed loop, as docs/api.md names them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IncidentStatus>))]
public enum IncidentStatus
{
    [JsonStringEnumMemberName("reported")] Reported,         // 上报
    [JsonStringEnumMemberName("accepted")] Accepted,         // 受理立案
    [JsonStringEnumMemberName("rejected")] Rejected,         // 不予受理
    [JsonStringEnumMemberName("dispatched")] Dispatched,     // 派遣
    [JsonStringEnumMemberName("acknowledged")] Acknowledged, // 接单
    [JsonStringEnumMemberName("on_scene")] OnScene,          // 处置中
    [JsonStringEnumMemberName("resolved")] Resolved,         // 处置完成
    [JsonStringEnumMemberName("verified")] Verified,         // 核查
    [JsonStringEnumMemberName("closed")] Closed,             // 结案
    [JsonStringEnumMemberName("escalated")] Escalated,       // 上报升级
    [JsonStringEnumMemberName("cancelled")] Cancelled,       // 撤销
}

[JsonConverter(typeof(JsonStringEnumConverter<IncidentAction>))]
public enum IncidentAction
{
    [JsonStringEnumMemberName("accept")] Accept,
    [JsonStringEnumMemberName("reject")] Reject,
    [JsonStringEnumMemberName("dispatch")] Dispatch,
    [JsonStringEnumMemberName("acknowledge")] Acknowledge,
    [JsonStringEnumMemberName("decline")] Decline,
    [JsonStringEnumMemberName("arrive")] Arrive,
    [JsonStringEnumMemberName("resolve")] Resolve,
    [JsonStringEnumMemberName("verify")] Verify,
    [JsonStringEnumMemberName("rework")] Rework,
    [JsonStringEnumMemberName("close")] Close,
    [JsonStringEnumMemberName("escalate")] Escalate,
    [JsonStringEnumMemberName("reopen")] Reopen,
    [JsonStringEnumMemberName("cancel")] Cancel,
    [JsonStringEnumMemberName("pull_up")] PullUp,          // 提级: a superior centre takes the case over
    [JsonStringEnumMemberName("hand_down")] HandDown,      // 交办: to the centre below, with instructions and a deadline
    [JsonStringEnumMemberName("report_done")] ReportDone,  // 交办办结: the centre below reports a handed-down case resolved
    [JsonStringEnumMemberName("relocate")] Relocate,       // 改址: its place was wrong; grid, village and centre follow the new one
    [JsonStringEnumMemberName("merge")] Merge,             // 并案: a duplicate merged into the case it repeats
    [JsonStringEnumMemberName("transfer")] Transfer,       // 转办: to another centre of the same level (a sibling), with a reason
}

/// <summary>
/// The dispatched team as it stands after the action's own change to its member: how many
/// members are still live (pending or acknowledged) and how many of those have acknowledged.
/// </summary>
public readonly record struct Team(int Live, int Acknowledged)
{
    public static readonly Team None = new(0, 0);
    public bool AllAcknowledged => Live > 0 && Acknowledged == Live;
}

/// <summary>
/// Which action may follow which status, and where it leads: the whole lifecycle in one table,
/// with no I/O, so it can be read at a glance and tested exhaustively.
/// <list type="bullet">
/// <item>A composite team acknowledges member by member; the incident is <c>acknowledged</c> once
/// every live member has, and falls back to <c>accepted</c> (to be dispatched again) when every
/// member has declined.</item>
/// <item>Rework sends a resolved or verified incident back to <c>accepted</c>, to be dispatched
/// again with fresh recommendations.</item>
/// <item>Escalation climbs village → township → district → city (一评四会); the centre above accepts it.
/// A superior centre may pull a case up (提级) whatever its status while it is open; it keeps its status.
/// A case conference may settle an escalated case on the spot (close), or hand it down (交办) to the
/// centre below, which works it from <c>accepted</c> and reports it done once resolved.</item>
/// </list>
/// </summary>
public static class Lifecycle
{
    public static readonly string[] Levels = ["village", "township", "district", "city"];

    static readonly IncidentStatus[] Active =
        [IncidentStatus.Reported, IncidentStatus.Accepted, IncidentStatus.Dispatched, IncidentStatus.Acknowledged, IncidentStatus.OnScene];

    /// <summary>The status the action leads to, or null when it is not allowed from <paramref name="from"/>.</summary>
    public static IncidentStatus? Next(IncidentStatus from, IncidentAction action, Team team, string level = "village") =>
        (action, from) switch
        {
            (IncidentAction.Accept, IncidentStatus.Reported or IncidentStatus.Escalated) => IncidentStatus.Accepted,
            (IncidentAction.Reject, IncidentStatus.Reported) => IncidentStatus.Rejected,
            (IncidentAction.Dispatch, IncidentStatus.Accepted or IncidentStatus.Dispatched or IncidentStatus.Acknowledged)
                => team.AllAcknowledged ? IncidentStatus.Acknowledged : IncidentStatus.Dispatched,
            (IncidentAction.Acknowledge, IncidentStatus.Dispatched)
                => team.AllAcknowledged ? IncidentStatus.Acknowledged : IncidentStatus.Dispatched,
            (IncidentAction.Decline, IncidentStatus.Dispatched)
                => team.Live == 0 ? IncidentStatus.Accepted : team.AllAcknowledged ? IncidentStatus.Acknowledged : IncidentStatus.Dispatched,
            (IncidentAction.Arrive, IncidentStatus.Acknowledged) => IncidentStatus.OnScene,
            (IncidentAction.Resolve, IncidentStatus.OnScene) => IncidentStatus.Resolved,
            (IncidentAction.Verify, IncidentStatus.Resolved) => IncidentStatus.Verified,
            (IncidentAction.Rework, IncidentStatus.Resolved or IncidentStatus.Verified) => IncidentStatus.Accepted,
            (IncidentAction.Close, IncidentStatus.Verified) => IncidentStatus.Closed,
            (IncidentAction.Escalate, _) when Active.Contains(from) && level != "city" => IncidentStatus.Escalated,
            (IncidentAction.PullUp, _) when Active.Contains(from) || from == IncidentStatus.Escalated => from,
            (IncidentAction.HandDown, IncidentStatus.Escalated or IncidentStatus.Accepted) => IncidentStatus.Accepted,
            (IncidentAction.ReportDone, IncidentStatus.Resolved) => IncidentStatus.Resolved,
            (IncidentAction.Close, IncidentStatus.Escalated) => IncidentStatus.Closed, // settled at the case conference itself
            (IncidentAction.Relocate or IncidentAction.Transfer, _) when Active.Contains(from) || from == IncidentStatus.Escalated => from,
            (IncidentAction.Merge, IncidentStatus.Reported or IncidentStatus.Accepted or IncidentStatus.Dispatched
                or IncidentStatus.Acknowledged or IncidentStatus.Escalated) => IncidentStatus.Cancelled,
            (IncidentAction.Reopen, IncidentStatus.Closed) => IncidentStatus.Accepted,
            (IncidentAction.Reopen, IncidentStatus.Rejected) => IncidentStatus.Reported,
            (IncidentAction.Cancel, IncidentStatus.Reported or IncidentStatus.Accepted or IncidentStatus.Dispatched
                or IncidentStatus.Acknowledged or IncidentStatus.Escalated) => IncidentStatus.Cancelled,
            _ => null,
        };

    /// <summary>"district" → "县区".</summary>
    public static string LevelName(string level) => level switch
    {
        "city" => "市", "district" => "县区", "township" => "乡镇（街道）", "village" => "村（社区）", _ => "网格",
    };

    /// <summary>Actions a field member takes for themself, on their own assignment.</summary>
    public static bool IsMemberAction(IncidentAction action) => action is IncidentAction.Acknowledge or IncidentAction.Decline;

    /// <summary>Actions assigned staff may take besides a dispatcher (reporting from the scene).</summary>
    public static bool IsFieldAction(IncidentAction action) =>
        action is IncidentAction.Acknowledge or IncidentAction.Decline or IncidentAction.Arrive or IncidentAction.Resolve;

    /// <summary>After these the team's work is over and its members are free again.</summary>
    public static bool ReleasesTeam(IncidentStatus to) =>
        to is IncidentStatus.Resolved or IncidentStatus.Escalated or IncidentStatus.Cancelled;

    public static string Wire(this IncidentStatus s) => JsonNames.Of(s);
    public static string Wire(this IncidentAction a) => JsonNames.Of(a);
}

/// <summary>The wire names of the enums above (their <see cref="JsonStringEnumMemberNameAttribute"/>).</summary>
static class JsonNames
{
    public static string Of<T>(T value) where T : struct, Enum => Cache<T>.Names[value];

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        foreach (var (v, name) in Cache<T>.Names)
            if (name == text) { value = v; return true; }
        value = default;
        return false;
    }

    static class Cache<T> where T : struct, Enum
    {
        public static readonly Dictionary<T, string> Names = Enum.GetValues<T>().ToDictionary(v => v, v =>
            typeof(T).GetField(v.ToString())!.GetCustomAttributes(typeof(JsonStringEnumMemberNameAttribute), false)
                .Cast<JsonStringEnumMemberNameAttribute>().Single().Name);
    }
}
