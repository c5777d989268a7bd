namespace Dispatch.Geography;

/// <summary>A point or vector in the local planar frame (km).</summary>
readonly record struct Pt(double X, double Y)
{
    public static Pt operator +(Pt a, Pt b) => new(a.X + b.X, a.Y + b.Y);
    public static Pt operator -(Pt a, Pt b) => new(a.X - b.X, a.Y - b.Y);
    public static Pt operator *(double k, Pt a) => new(k * a.X, k * a.Y);
    public double Dot(Pt b) => X * b.X + Y * b.Y;
    public double Cross(Pt b) => X * b.Y - Y * b.X;
    public double Length => Math.Sqrt(X * X + Y * Y);
}

/// <summary>
/// The few planar routines the partition needs, on rings stored as open vertex lists (first vertex not
/// repeated). All are linear in the number of vertices.
/// </summary>
static class Planar
{
    /// <summary>
    /// Sutherland–Hodgman: the part of <paramref name="ring"/> where a·x + b·y ≤ c. Exact for convex rings;
    /// for a concave ring the result may run back and forth along the cut line, which leaves its signed
    /// area and centroid correct (that is all it is used for then). <paramref name="tags"/>, if given,
    /// names the source of each edge (edge k runs from vertex k to k+1); edges on the cut get <paramref name="tag"/>.
    /// </summary>
    public static (List<Pt> Ring, List<int>? Tags) Clip(IReadOnlyList<Pt> ring, IReadOnlyList<int>? tags, double a, double b, double c, int tag)
    {
        var outRing = new List<Pt>(ring.Count + 2);
        var outTags = tags is null ? null : new List<int>(ring.Count + 2);
        for (var k = 0; k < ring.Count; k++)
        {
            Pt p = ring[k], q = ring[(k + 1) % ring.Count];
            double dp = a * p.X + b * p.Y - c, dq = a * q.X + b * q.Y - c;
            var edgeTag = tags?[k] ?? 0;
            if (dp <= 0)
            {
                outRing.Add(p);
                outTags?.Add(edgeTag);
                if (dq > 0)
                {
                    outRing.Add(p + dp / (dp - dq) * (q - p));
                    outTags?.Add(tag);
                }
            }
            else if (dq <= 0)
            {
                outRing.Add(p + dp / (dp - dq) * (q - p));
                outTags?.Add(edgeTag);
            }
        }
        return (outRing, outTags);
    }

    /// <summary>The part of an arbitrary simple ring inside a counter-clockwise convex ring (see <see cref="Clip"/>).</summary>
    public static List<Pt> ClipTo(IReadOnlyList<Pt> subject, IReadOnlyList<Pt> convex)
    {
        var result = subject as List<Pt> ?? [.. subject];
        for (var k = 0; k < convex.Count && result.Count > 0; k++)
        {
            Pt p = convex[k], q = convex[(k + 1) % convex.Count];
            // Inside = left of p→q: cross(q − p, x − p) ≥ 0  ⇔  (q.y − p.y)·x − (q.x − p.x)·y ≤ (q.y − p.y)·p.x − (q.x − p.x)·p.y.
            double a = q.Y - p.Y, b = p.X - q.X;
            result = Clip(result, null, a, b, a * p.X + b * p.Y, 0).Ring;
        }
        return result;
    }

    /// <summary>Signed area (positive counter-clockwise) and centroid by the shoelace formula.</summary>
    public static (double Area, Pt Centroid) AreaCentroid(IReadOnlyList<Pt> ring)
    {
        double twiceArea = 0, cx = 0, cy = 0;
        if (ring.Count < 3) return (0, default);
        var o = ring[0]; // relative to the first vertex, to keep the products small
        for (var k = 1; k + 1 < ring.Count; k++)
        {
            Pt p = ring[k] - o, q = ring[k + 1] - o;
            var cross = p.Cross(q);
            twiceArea += cross;
            cx += (p.X + q.X) * cross;
            cy += (p.Y + q.Y) * cross;
        }
        if (twiceArea == 0) return (0, o);
        return (twiceArea / 2, new Pt(o.X + cx / (3 * twiceArea), o.Y + cy / (3 * twiceArea)));
    }

    /// <summary>Even–odd point-in-ring test.</summary>
    public static bool Contains(IReadOnlyList<Pt> ring, Pt x)
    {
        var inside = false;
        for (int k = 0, j = ring.Count - 1; k < ring.Count; j = k++)
        {
            Pt p = ring[k], q = ring[j];
            if ((p.Y > x.Y) != (q.Y > x.Y) && x.X < p.X + (x.Y - p.Y) / (q.Y - p.Y) * (q.X - p.X))
                inside = !inside;
        }
        return inside;
    }

    /// <summary>Whether x is inside a counter-clockwise convex ring (boundary included).</summary>
    public static bool ConvexContains(IReadOnlyList<Pt> convex, Pt x)
    {
        for (var k = 0; k < convex.Count; k++)
            if ((convex[(k + 1) % convex.Count] - convex[k]).Cross(x - convex[k]) < 0) return false;
        return true;
    }

    /// <summary>Length of the segment p→q inside <paramref name="ring"/>: cut at every crossing, keep the pieces whose midpoint is inside.</summary>
    public static double LengthInside(IReadOnlyList<Pt> ring, Pt p, Pt q)
    {
        var d = q - p;
        var cuts = new List<double> { 0, 1 };
        for (int k = 0, j = ring.Count - 1; k < ring.Count; j = k++)
        {
            Pt a = ring[j], e = ring[k] - a;
            var denom = d.Cross(e);
            if (denom == 0) continue;
            double t = (a - p).Cross(e) / denom, u = (a - p).Cross(d) / denom;
            if (t > 0 && t < 1 && u >= 0 && u <= 1) cuts.Add(t);
        }
        cuts.Sort();
        double length = 0;
        for (var k = 0; k + 1 < cuts.Count; k++)
            if (Contains(ring, p + (cuts[k] + cuts[k + 1]) / 2 * d)) length += (cuts[k + 1] - cuts[k]) * d.Length;
        return length;
    }
}
