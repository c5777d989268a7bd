namespace Dispatch.Server.Incidents;

/// <summary>The columns an incident read and a list row share, mapped by name.</summary>
abstract record IncidentRow
{
    public required string Status { get; init; }
    public required string CategoryCode { get; init; }
    public required string CategoryName { get; init; }
    public int Priority { get; init; }
    public required string Description { get; init; }
    public double Lon { get; init; }
    public double Lat { get; init; }
    public required string GridCode { get; init; }
    public required string VillageCode { get; init; }
    public required string TownshipCode { get; init; }
    public required string DistrictCode { get; init; }
    public required string Level { get; init; }
    public long? DuplicateOf { get; init; }
    public int Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public DateTimeOffset? WarnAt { get; init; }
}
