using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Noding;
using NetTopologySuite.Noding.Snapround;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Operation.Polygonize;

namespace Dispatch.Geography;

/// <summary>
/// Turns the fitted cells into exact polygons. Clipping each cell to its parent separately would round
/// each shape's new vertices on its own, leaving centimetre gaps and overlaps (square metres along a
/// kilometre-long edge). Instead all linework is noded once: every edge between sibling cells and the
/// outline are snap-rounded together on the 1e-7° grid, polygonized into faces, and each face inside
/// the outline is given to the leaf whose power cell holds its interior point, walking down the tree.
/// Every shape is then the coverage union of its faces, so siblings share identical edges and each
/// parent is exactly the union of its children. Cost: O(m log m) for m segments (≈ 13,000) in noding and
/// polygonizing; about a second.
/// </summary>
static class Tessellation
{
    public static Dictionary<PlanNode, MultiPolygon> Build(PlanNode root, Polygon outline, LocalFrame frame)
    {
        var lines = new List<LineString> { outline.ExteriorRing };
        CollectEdges(root, frame, lines);
        var polygonizer = new Polygonizer();
        polygonizer.Add(Node(lines));

        var inOutline = new IndexedPointInAreaLocator(outline);
        var leaves = new List<PlanNode>();
        CollectLeaves(root, leaves);
        var faces = leaves.ToDictionary(l => l, _ => new List<Geometry>());
        foreach (var face in polygonizer.GetPolygons())
        {
            var inside = face.InteriorPoint.Coordinate;
            if (inOutline.Locate(inside) != Location.Interior) continue;
            faces[Owner(root, frame.ToPlane(inside))].Add(face);
        }

        var shapes = new Dictionary<PlanNode, MultiPolygon>();
        Union(root, faces, shapes);
        return shapes;
    }

    /// <summary>
    /// Snap-rounding noding (Hobby; NTS's SnapRoundingNoder): every vertex and crossing is rounded to the
    /// precision grid and every segment passing near a rounded point is bent through it, so the result is
    /// fully noded with no crossing left. Repeated segments are dropped, as the polygonizer wants each once.
    /// </summary>
    static List<Geometry> Node(List<LineString> lines)
    {
        var noder = new SnapRoundingNoder(Geo.Precision);
        noder.ComputeNodes([.. lines.Select(l => (ISegmentString)new NodedSegmentString(l.Coordinates, null))]);
        var seen = new HashSet<(Coordinate, Coordinate)>();
        var segments = new List<Geometry>();
        foreach (var noded in noder.GetNodedSubstrings())
            for (var k = 0; k + 1 < noded.Count; k++)
            {
                Coordinate a = noded.Coordinates[k], b = noded.Coordinates[k + 1];
                if (a.Equals2D(b)) continue;
                if (seen.Add(a.CompareTo(b) < 0 ? (a, b) : (b, a))) segments.Add(Geo.Factory.CreateLineString([a, b]));
            }
        return segments;
    }

    /// <summary>The leaf holding x: at each level, the child whose power distance to x is least.</summary>
    static PlanNode Owner(PlanNode node, Pt x)
    {
        while (node.Children.Count > 0)
            node = node.Children[PowerDiagram.Owner(node.Children.Select(c => c.Site).ToList(), node.Children.Select(c => c.PowerWeight).ToList(), x)];
        return node;
    }

    static List<Geometry> Union(PlanNode node, Dictionary<PlanNode, List<Geometry>> faces, Dictionary<PlanNode, MultiPolygon> shapes)
    {
        var parts = node.Children.Count == 0 ? faces[node] : node.Children.SelectMany(c => Union(c, faces, shapes)).ToList();
        if (parts.Count == 0) throw new InvalidOperationException($"Region {node.Code} came out empty.");
        shapes[node] = AsMultiPolygon(CoverageUnion.Union(Geo.Factory.BuildGeometry(parts)));
        return parts;
    }

    static MultiPolygon AsMultiPolygon(Geometry g) => g switch
    {
        MultiPolygon m => Geo.Factory.CreateMultiPolygon(m.Geometries.Cast<Polygon>().ToArray()),
        Polygon p => Geo.Factory.CreateMultiPolygon([p]),
        _ => throw new InvalidOperationException($"Expected a polygonal union, got {g.GeometryType}."),
    };

    /// <summary>
    /// Each edge between two sibling cells, once (from the sibling with the lower index). The edges of a
    /// cell that lie on its parent's hull were given by the level above; the top level's hull, a box
    /// around the outline, is left out, as nothing outside the outline is kept.
    /// </summary>
    static void CollectEdges(PlanNode node, LocalFrame frame, List<LineString> lines)
    {
        for (var i = 0; i < node.Children.Count; i++)
        {
            var child = node.Children[i];
            for (var k = 0; k < child.Neighbours.Count; k++)
                if (child.Neighbours[k] > i)
                    lines.Add(Geo.Factory.CreateLineString([frame.ToLonLat(child.Hull[k]), frame.ToLonLat(child.Hull[(k + 1) % child.Hull.Count])]));
            CollectEdges(child, frame, lines);
        }
    }

    static void CollectLeaves(PlanNode node, List<PlanNode> leaves)
    {
        if (node.Children.Count == 0) leaves.Add(node);
        foreach (var child in node.Children) CollectLeaves(child, leaves);
    }
}
