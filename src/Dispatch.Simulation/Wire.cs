
using System.Reflection;
using System.Text.Json.Serialization;

namespace Dispatch.Simulation;

// What the simulator reads of the public API (docs/api.md): only the fields it acts on. The simulator is
// a client like any other and does not reference the server, so the status and action names are
// copied here from the API's (Dispatch.Server.Incidents.Lifecycle); a test in Dispatch.Tests holds
// the two lists equal.

[JsonConverter(typeof(JsonStringEnumConverter<IncidentStatus>))]
public enum IncidentStatus
{
    [JsonStringEnumMemberName("reported")] Reported,
    [JsonStringEnumMemberName("accepted")] Accepted,
    [JsonStringEnumMemberName("rejected")] Rejected,
    [JsonStringEnumMemberName("dispatched")] Dispatched,
    [JsonStringEnumMemberName("acknowledged")] Acknowledged,
    [JsonStringEnumMemberName("on_scene")] OnScene,
    [JsonStringEnumMemberName("resolved")] Resolved,
    [JsonStringEnumMemberName("verified")] Verified,
    [JsonStringEnumMemberName("closed")] Closed,
    [JsonStringEnumMemberName("escalated")] Escalated,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
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
    [JsonStringEnumMemberName("pull_up")] PullUp,
    [JsonStringEnumMemberName("hand_down")] HandDown,
    [JsonStringEnumMemberName("report_done")] ReportDone,
    [JsonStringEnumMemberName("relocate")] Relocate,
    [JsonStringEnumMemberName("merge")] Merge,
    [JsonStringEnumMemberName("transfer")] Transfer,
}

public static class WireNames
{
    /// <summary>The name the API uses for a status or an action, for query strings and request bodies.</summary>
    public static string Wire(this IncidentStatus s) => Cache<IncidentStatus>.Names[s];
    public static string Wire(this IncidentAction a) => Cache<IncidentAction>.Names[a];

    static class Cache<T> where T : struct, Enum
    {
        public static readonly Dictionary<T, string> Names = Enum.GetValues<T>().ToDictionary(v => v, v =>
            typeof(T).GetField(v.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()!.Name);
    }
}

public sealed record IncidentDto(long Id, IncidentStatus Status, string CategoryCode, int Priority, double Lon, double Lat,
    string GridCode, string DistrictCode, string Level, string CentreCode, long? DuplicateOf, int Version, DateTimeOffset CreatedAt, DateTimeOffset? DueAt,
    IReadOnlyList<AssignmentDto>? Assignments)
{
    public IReadOnlyList<AssignmentDto> Team => Assignments ?? [];
}

public sealed record AssignmentDto(long Id, long StaffId, string StaffCode, string Role, string Status)
{
    public bool IsLive => Status is "pending" or "acknowledged";
}

public sealed record IncidentPageDto(IReadOnlyList<IncidentDto> Items, long Total, int Page, int PageSize);

public sealed record SlaDto(int AcceptMinutes, int ArriveMinutes, int ResolveMinutes, bool WorkingHours);

public sealed record CategoryDto(string Code, string Name, string? ParentCode, int Priority, SlaDto Sla, IReadOnlyList<string> Roles);

public sealed record CandidateDto(long StaffId, string StaffCode, string Kind);

public sealed record RoleChoiceDto(string Role, CandidateDto? Recommended, IReadOnlyList<CandidateDto> Alternatives)
{
    public IEnumerable<CandidateDto> InOrder => Recommended is null ? Alternatives : Alternatives.Prepend(Recommended);
}

public sealed record NewIncident(string CategoryCode, string Description, double Lon, double Lat, int? Priority, string Source,
    string? ReporterName, string? ReporterPhone);

public sealed record TransitionBody(string Action, string? Note = null, long[]? StaffIds = null, double? Lon = null, double? Lat = null);
