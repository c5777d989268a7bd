using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace Dispatch.Server.Regions;

public sealed record GridPlace(string GridCode, string VillageCode, string TownshipCode, string DistrictCode);

/// <summary>
/// Maps a point to its grid, village, township and district in process: an STR-tree over the
/// grids' envelopes narrows a query to the one to four grids near the point, and each grid's
/// indexed point-in-area locator answers in O(log n) of its edges. The database stays the source
/// of truth; <see cref="LoadAsync"/> rebuilds the whole index, swapped in atomically.
/// <para>
/// Tie rule: a point belongs to the grid whose closed polygon covers it; on an edge or vertex
/// shared by several grids the lowest grid code wins. In PostGIS the same rule reads
/// <c>SELECT code FROM grid WHERE ST_Covers(geom, p) ORDER BY code LIMIT 1</c>, and agrees with
/// <c>ST_Contains</c> everywhere off the boundaries.
/// </para>
/// </summary>
public sealed class GridLocator
{
    sealed record Entry(GridPlace Place, IPointOnGeometryLocator Area);
    sealed record GridRow(string GridCode, string VillageCode, string TownshipCode, string DistrictCode, Geometry Geom);

    STRtree<Entry>? _tree;

    public GridPlace? Locate(double lon, double lat)
    {
        var tree = Volatile.Read(ref _tree) ?? throw new InvalidOperationException("The grid index is not loaded yet.");
        var at = new Coordinate(lon, lat);
        GridPlace? best = null;
        foreach (var entry in tree.Query(new Envelope(at)))
            if (entry.Area.Locate(at) != Location.Exterior &&
                (best is null || string.CompareOrdinal(entry.Place.GridCode, best.GridCode) < 0))
                best = entry.Place;
        return best;
    }

    public void Load(IEnumerable<(GridPlace Place, Geometry Shape)> grids)
    {
        var tree = new STRtree<Entry>();
        foreach (var (place, shape) in grids)
        {
            var area = new IndexedPointInAreaLocator(shape);
            area.Locate(shape.Coordinate); // builds the locator's lazy index now, not under concurrent queries
            tree.Insert(shape.EnvelopeInternal, new Entry(place, area));
        }
        tree.Build();
        Volatile.Write(ref _tree, tree);
    }

    public async Task LoadAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var grids = await conn.QueryAsync<GridRow>(new CommandDefinition(
            "SELECT code AS gridcode, village_code AS villagecode, township_code AS townshipcode, district_code AS districtcode, geom FROM grid_place",
            cancellationToken: ct));
        Load(grids.Select(g => (new GridPlace(g.GridCode, g.VillageCode, g.TownshipCode, g.DistrictCode), g.Geom)));
    }
}
