namespace Dispatch.Server.Incidents;

/// <param name="AckWarnedAt">When the centres were told this member was still silent past Supervision:AcknowledgeWithin (assignment.unacknowledged).</param>
public sealed record AssignmentView(long Id, long StaffId, string StaffCode, string StaffName, string Role, string Status,
    DateTimeOffset AssignedAt, DateTimeOffset? RespondedAt, DateTimeOffset? AckWarnedAt);

public sealed record TimelineEntry(DateTimeOffset At, string Actor, string Action, string? FromStatus, string ToStatus,
    string? Note, double? Lon, double? Lat);

/// <summary>
/// An incident as docs/api.md gives it: the reporter masked unless the caller needs them in full;
/// <c>centreCode</c>/<c>centreName</c> name the responsible 综治中心, the only one that acts on it.
/// </summary>
public sealed record IncidentView(
    long Id, IncidentStatus Status, string CategoryCode, string CategoryName, int Priority, string Description,
    double Lon, double Lat, string GridCode, string VillageCode, string TownshipCode, string DistrictCode,
    string Level, string CentreCode, string CentreName, string Source, string? ReporterName, string? ReporterPhone, long? DuplicateOf, int Version,
    string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DueAt, DateTimeOffset? WarnAt, bool Supervised,
    IReadOnlyList<AssignmentView> Assignments, IReadOnlyList<TimelineEntry> Timeline)
{
    [System.Text.Json.Serialization.JsonIgnore] public string ETag => $"\"{Version}\"";
}

/// <summary>A row of a list: what a queue shows, without the timeline.</summary>
public sealed record IncidentSummary(
    long Id, IncidentStatus Status, string CategoryCode, string CategoryName, int Priority, string Description,
    double Lon, double Lat, string GridCode, string VillageCode, string TownshipCode, string DistrictCode,
    string Level, string CentreCode, long? DuplicateOf, int Version, DateTimeOffset CreatedAt, DateTimeOffset? DueAt, DateTimeOffset? WarnAt, bool Supervised);
