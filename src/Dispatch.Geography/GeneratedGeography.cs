using NetTopologySuite.Geometries;

namespace Dispatch.Geography;

/// <summary>The generated shape of one division (SRID 4326, lon/lat degrees).</summary>
public sealed record RegionShape(string Code, RegionLevel Level, MultiPolygon Shape);

/// <summary>
/// One grid (网格): a piece of a village. <see cref="Code"/> is the 12-digit village code followed by a
/// 3-digit sequence; <see cref="ServicePoint"/> lies strictly inside <see cref="Shape"/>.
/// </summary>
public sealed record GridShape(string Code, string Name, string VillageCode, MultiPolygon Shape, Point ServicePoint);

/// <summary>
/// Regions in division order (city, districts, townships, villages) and grids ordered by code. Each level
/// tiles its parent exactly: siblings share identical edges on the fixed precision grid.
/// </summary>
public sealed record GeneratedGeography(IReadOnlyList<RegionShape> Regions, IReadOnlyList<GridShape> Grids);
