namespace Dispatch.Geography;

/// <summary>
/// Splits the plan top-down: the districts split a box around the outline, each township splits its
/// district's cell, and so on down to the grids, every split a power diagram fitted to the children's
/// target areas (<see cref="PowerFit"/>) within parent cell ∩ outline. Cells stay convex because each is
/// its parent's convex cell cut by half-planes; the outline is applied only when measuring areas and,
/// at the end, by <see cref="Tessellation"/>. Sites start at random points of the region; the urban core
/// (see <see cref="Plan"/>) takes the one nearest the parent's centre and stays there while its
/// neighbours relax, so that districts and towns have their streets and communities in the middle.
/// Cost: about 1,100 small fits, a few hundred milliseconds in all.
/// </summary>
static class NestedPartition
{
    const double MarginKm = 2;

    public static void Fit(PlanNode root, IReadOnlyList<Pt> outline, Random rng)
    {
        double minX = outline.Min(p => p.X) - MarginKm, maxX = outline.Max(p => p.X) + MarginKm;
        double minY = outline.Min(p => p.Y) - MarginKm, maxY = outline.Max(p => p.Y) + MarginKm;
        root.Hull = [new(minX, minY), new(maxX, minY), new(maxX, maxY), new(minX, maxY)];
        root.Site = new((minX + maxX) / 2, (minY + maxY) / 2);
        FitChildren(root, outline, rng, depth: 0);
    }

    static void FitChildren(PlanNode node, IReadOnlyList<Pt> outline, Random rng, int depth)
    {
        var children = node.Children;
        if (children.Count == 0) return;
        if (children.Count == 1)
        {
            (children[0].Hull, children[0].Site) = (node.Hull, node.Site);
        }
        else
        {
            var region = new Region(outline, node.Hull);
            var sites = children.All(c => c.PresetSite is not null)
                ? children.Select(c => c.PresetSite!.Value).ToList()
                : Place(region, children, node.Centre ?? node.Site, rng);
            var total = children.Sum(c => c.Weight);
            var anchored = children.Select(c => c.Central && !children.All(x => x.Central)).ToList();
            // One Lloyd step at the top rounds the districts off yet keeps each around its sketched seed.
            var lloydSteps = depth == 0 ? 1 : 4;
            var (fitted, weights, cells) = PowerFit.Fit(region, [.. children.Select(c => c.Weight / total)], sites, anchored, lloydSteps);
            for (var i = 0; i < children.Count; i++)
                (children[i].Site, children[i].PowerWeight, children[i].Hull, children[i].Neighbours) = (fitted[i], weights[i], cells[i].Ring, cells[i].Neighbours);
        }
        foreach (var child in children) FitChildren(child, outline, rng, depth + 1);
    }

    /// <summary>
    /// One random point of the region per child (rejection sampling in its bounding box); the points nearest
    /// <paramref name="centre"/> go to the central children.
    /// </summary>
    static List<Pt> Place(Region region, List<PlanNode> children, Pt centre, Random rng)
    {
        double minX = region.Bounds.Min(p => p.X), maxX = region.Bounds.Max(p => p.X);
        double minY = region.Bounds.Min(p => p.Y), maxY = region.Bounds.Max(p => p.Y);
        var points = new List<Pt>(children.Count);
        for (var tries = 0; points.Count < children.Count; tries++)
        {
            if (tries > 100_000) throw new InvalidOperationException("Could not place sites in a region; is it empty?");
            var p = new Pt(minX + rng.NextDouble() * (maxX - minX), minY + rng.NextDouble() * (maxY - minY));
            if (region.Contains(p)) points.Add(p);
        }
        points.Sort((a, b) => (a - centre).Length.CompareTo((b - centre).Length));
        var order = Enumerable.Range(0, children.Count).OrderBy(i => children[i].Central ? 0 : 1).ThenBy(i => i).ToList();
        var sites = new Pt[children.Count];
        for (var k = 0; k < order.Count; k++) sites[order[k]] = points[k];
        return [.. sites];
    }
}
