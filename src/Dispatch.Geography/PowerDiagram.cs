namespace Dispatch.Geography;

/// <summary>
/// The area being partitioned: a convex hull (a cell of the level above, counter-clockwise) intersected
/// with the city outline. Every region at every level has this form, which keeps all clipping convex.
/// </summary>
sealed class Region
{
    public Region(IReadOnlyList<Pt> outline, IReadOnlyList<Pt> hull)
    {
        Outline = outline;
        Hull = hull;
        var inOutline = Planar.ClipTo(outline, hull);
        Area = Planar.AreaCentroid(inOutline).Area;
        // Most hulls lie wholly inside the outline; then clipping by the outline can be skipped.
        HullInsideOutline = Area >= Planar.AreaCentroid(hull).Area * (1 - 1e-12);
        Bounds = HullInsideOutline ? hull : inOutline;
    }

    public IReadOnlyList<Pt> Outline { get; }
    public IReadOnlyList<Pt> Hull { get; }
    public double Area { get; }
    public bool HullInsideOutline { get; }
    /// <summary>Vertices that span the region (for a bounding box).</summary>
    public IReadOnlyList<Pt> Bounds { get; }

    public bool Contains(Pt x) => Planar.ConvexContains(Hull, x) && (HullInsideOutline || Planar.Contains(Outline, x));

    /// <summary>Area and centroid of the part of a convex ring inside the region.</summary>
    public (double Area, Pt Centroid) Measure(List<Pt> convex) =>
        Planar.AreaCentroid(HullInsideOutline || convex.Count < 3 ? convex : Planar.ClipTo(Outline, convex));

    /// <summary>Length of an edge inside the region (the edge is already inside the hull).</summary>
    public double LengthInside(Pt p, Pt q) => HullInsideOutline ? (q - p).Length : Planar.LengthInside(Outline, p, q);
}

/// <summary>One cell of a power diagram: its convex ring, the neighbour behind each edge (−1 for the
/// hull), and the area and centroid of its part inside the region.</summary>
sealed record PowerCell(List<Pt> Ring, List<int> Neighbours, double Area, Pt Centroid);

/// <summary>
/// Power diagrams (weighted Voronoi diagrams): site i owns the points x where |x − sᵢ|² − wᵢ is least.
/// Each cell is the hull cut by one half-plane per other site, O(n) cuts of an O(n) ring, so a whole
/// diagram costs O(n³) in the worst case and about O(n²) in practice (cells have few edges); n is at most
/// a few dozen here, which beats building a Delaunay triangulation.
/// </summary>
static class PowerDiagram
{
    public static PowerCell[] Compute(Region region, IReadOnlyList<Pt> sites, IReadOnlyList<double> weights)
    {
        var cells = new PowerCell[sites.Count];
        for (var i = 0; i < sites.Count; i++)
        {
            var ring = Cell(region.Hull, sites, weights, i, out var neighbours);
            var (area, centroid) = region.Measure(ring);
            cells[i] = new PowerCell(ring, neighbours, Math.Max(area, 0), centroid);
        }
        return cells;
    }

    /// <summary>The cell of site i inside the hull.</summary>
    public static List<Pt> Cell(IReadOnlyList<Pt> hull, IReadOnlyList<Pt> sites, IReadOnlyList<double> weights, int i, out List<int> neighbours)
    {
        var ring = hull as List<Pt> ?? [.. hull];
        neighbours = [.. Enumerable.Repeat(-1, ring.Count)];
        var si = sites[i];
        for (var j = 0; j < sites.Count && ring.Count > 0; j++)
        {
            if (j == i) continue;
            // |x − sᵢ|² − wᵢ ≤ |x − sⱼ|² − wⱼ  ⇔  2(x − sᵢ)·d ≤ |d|² + wᵢ − wⱼ  with d = sⱼ − sᵢ.
            var d = sites[j] - si;
            var c = d.Dot(d) + weights[i] - weights[j] + 2 * si.Dot(d);
            (ring, var tags) = Planar.Clip(ring, neighbours, 2 * d.X, 2 * d.Y, c, j);
            neighbours = tags!;
        }
        return ring;
    }

    /// <summary>The site whose power distance to x is least (ties to the lower index).</summary>
    public static int Owner(IReadOnlyList<Pt> sites, IReadOnlyList<double> weights, Pt x)
    {
        var best = 0;
        var bestPower = double.PositiveInfinity;
        for (var i = 0; i < sites.Count; i++)
        {
            var d = x - sites[i];
            var power = d.Dot(d) - weights[i];
            if (power < bestPower) (best, bestPower) = (i, power);
        }
        return best;
    }
}
