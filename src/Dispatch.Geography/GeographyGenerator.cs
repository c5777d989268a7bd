using NetTopologySuite.Geometries;

namespace Dispatch.Geography;

/// <summary>
/// Generates demonstration geography for the division list: a shape for every division and
/// <see cref="GeographySketch.GridServicePoints"/> grids spread over the villages, each level tiling its
/// parent exactly. Steps: <see cref="Plan"/> sets target areas and grid counts, <see cref="NestedPartition"/>
/// fits nested power diagrams to them in a local planar frame, <see cref="Tessellation"/> turns the cells
/// into exact polygons on the 1e-7° grid. Pure and deterministic: one seeded <see cref="Random"/>, ordered
/// iteration only, so the same inputs and seed give identical coordinates. Takes a few seconds.
/// </summary>
public static class GeographyGenerator
{
    public static GeneratedGeography Generate(IReadOnlyList<Division> divisions, GeographySketch sketch, int seed = 410600)
    {
        var rng = new Random(seed);
        var outline = (Polygon)Geo.Factory.CreateGeometry(sketch.CityOutline);
        if (!outline.Shell.IsCCW) outline = (Polygon)outline.Reverse();
        var centre = outline.EnvelopeInternal.Centre;
        var frame = new LocalFrame(centre.X, centre.Y);

        var plan = Plan.Build(divisions, sketch, frame, rng);
        NestedPartition.Fit(plan, outline.Shell.Coordinates.SkipLast(1).Select(frame.ToPlane).ToList(), rng);
        var shapes = Tessellation.Build(plan, outline, frame);

        var regions = new List<RegionShape>();
        var grids = new List<GridShape>();
        Emit(plan, shapes, regions, grids);
        var order = divisions.Select((d, i) => (d.Code, i)).ToDictionary(x => x.Code, x => x.i);
        return new GeneratedGeography(
            [.. regions.OrderBy(r => order[r.Code])],
            [.. grids.OrderBy(g => g.Code, StringComparer.Ordinal)]);
    }

    static void Emit(PlanNode node, Dictionary<PlanNode, MultiPolygon> shapes, List<RegionShape> regions, List<GridShape> grids)
    {
        if (node.Division is { } division) regions.Add(new RegionShape(division.Code, division.Level, shapes[node]));
        if (node.Division is not { Level: RegionLevel.Village } village)
        {
            foreach (var child in node.Children) Emit(child, shapes, regions, grids); // urban cores are no division
            return;
        }
        // Numbered from north to south by their sites, as one reads a map.
        var ordered = node.Children.OrderByDescending(g => g.Site.Y).ThenBy(g => g.Site.X).ToList();
        for (var k = 0; k < ordered.Count; k++)
        {
            var shape = shapes[ordered[k]];
            grids.Add(new GridShape(
                Naming.GridCode(village.Code, k + 1), Naming.GridName(village.Name, k + 1), village.Code, shape, ServicePoint(shape)));
        }
    }

    /// <summary>The centroid when it lies strictly inside (after rounding to the grid), else NTS's interior point.</summary>
    static Point ServicePoint(MultiPolygon shape)
    {
        foreach (var candidate in new[] { shape.Centroid, shape.InteriorPoint })
        {
            var rounded = candidate.Coordinate.Copy();
            Geo.Precision.MakePrecise(rounded);
            var point = Geo.Factory.CreatePoint(rounded);
            if (shape.Contains(point)) return point;
        }
        throw new InvalidOperationException("No interior point on the precision grid; the grid is too thin.");
    }
}
