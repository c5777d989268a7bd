using Dispatch.Server.Incidents;

namespace Dispatch.Server.Simulation;

// What the simulator reads of the public API (API.md): only the fields it acts on. The status and
// action names are the API's own (IncidentStatus, IncidentAction).

public sealed record IncidentDto(long Id, IncidentStatus Status, string CategoryCode, int Priority, double Lon, double Lat,
    string GridCode, string DistrictCode, string Level, long? DuplicateOf, int Version, DateTimeOffset CreatedAt, DateTimeOffset? DueAt,
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
