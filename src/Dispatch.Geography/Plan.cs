namespace Dispatch.Geography;

/// <summary>
/// A node of the nested partition: a division or a grid, its target area relative to its siblings and,
/// once fitted, its site, power weight and convex cell (the "hull" its own children split).
/// </summary>
sealed class PlanNode(string code, Division? division, double weight, bool central)
{
    public string Code { get; } = code;
    /// <summary>Null for grids and urban cores.</summary>
    public Division? Division { get; } = division;
    public double Weight { get; } = weight;
    /// <summary>Placed near the parent's centre: streets in a district, communities in a township.</summary>
    public bool Central { get; } = central;
    public List<PlanNode> Children { get; } = [];
    /// <summary>Where the children's central members cluster; the site when not given.</summary>
    public Pt? Centre { get; init; }
    /// <summary>A site fixed by the sketch (districts).</summary>
    public Pt? PresetSite { get; init; }

    public Pt Site { get; set; }
    public double PowerWeight { get; set; }
    public IReadOnlyList<Pt> Hull { get; set; } = [];
    /// <summary>For each edge of <see cref="Hull"/>, the index of the sibling across it, or −1 for the parent's edge.</summary>
    public IReadOnlyList<int> Neighbours { get; set; } = [];
}

/// <summary>
/// Turns the division list and the sketch into the tree of target areas. The numbers are judgement, tuned
/// so that the result looks like Hebi: a rural village covers several times a community's area, a street
/// (街道) is a fraction of a town (镇/乡), and a community has about three times a village's grids.
/// </summary>
static class Plan
{
    const double CommunityArea = 1;
    const double VillageArea = 6;
    const double StreetVillageArea = 3;   // villages inside a street are suburban, about half as large
    const double TownshipSeat = 8;        // the seat, industry and roads of a township, outside any village's share
    const double CommunityGrids = 3;      // grids per community relative to a rural village

    public static PlanNode Build(IReadOnlyList<Division> divisions, GeographySketch sketch, LocalFrame frame, Random rng)
    {
        var byParent = divisions.Where(d => d.ParentCode is not null).ToLookup(d => d.ParentCode!);
        var city = divisions.Single(d => d.Level == RegionLevel.City);
        var districts = byParent[city.Code].ToList();
        var sketches = sketch.Districts.ToDictionary(d => d.Code);
        var missing = districts.Where(d => !sketches.ContainsKey(d.Code)).Select(d => d.Code).ToList();
        if (missing.Count > 0) throw new ArgumentException($"The sketch has no seed for districts {string.Join(", ", missing)}.");

        // Jitter drawn in division order, so the same seed gives the same plan.
        var villages = divisions.Where(d => d.Level == RegionLevel.Village).ToList();
        var jitter = villages.ToDictionary(v => v.Code, _ => 0.7 + 0.6 * rng.NextDouble());
        var streets = divisions.Where(d => d.Level == RegionLevel.Township && Naming.IsStreet(d)).Select(d => d.Code).ToHashSet();
        double VillageWeight(Division v) => jitter[v.Code] * Naming.KindOf(v.Name) switch
        {
            VillageKind.Community => CommunityArea,
            _ => streets.Contains(v.ParentCode!) ? StreetVillageArea : VillageArea,
        };

        var gridCounts = GridAllocation.Apportion(
            villages.Select(v => jitter[v.Code] * (Naming.KindOf(v.Name) == VillageKind.Community ? CommunityGrids : 1)).ToList(),
            sketch.GridServicePoints);
        var gridsOf = villages.Select((v, i) => (v.Code, Count: gridCounts[i])).ToDictionary(x => x.Code, x => x.Count);

        var areas = DistrictAreas(districts, sketches, byParent);
        var root = new PlanNode(city.Code, city, 1, false);
        foreach (var district in districts)
        {
            var seed = frame.ToPlane(sketches[district.Code].Seed);
            var districtNode = new PlanNode(district.Code, district, areas[district.Code], false) { PresetSite = seed, Centre = seed };
            root.Children.Add(districtNode);
            foreach (var township in byParent[district.Code])
            {
                var members = byParent[township.Code].ToList();
                var townshipNode = new PlanNode(township.Code, township, TownshipSeat + members.Sum(VillageWeight), Naming.IsStreet(township));
                districtNode.Children.Add(townshipNode);
                foreach (var village in members)
                {
                    var villageNode = new PlanNode(village.Code, village, VillageWeight(village), Naming.KindOf(village.Name) == VillageKind.Community);
                    townshipNode.Children.Add(villageNode);
                    for (var g = 0; g < gridsOf[village.Code]; g++)
                        villageNode.Children.Add(new PlanNode($"{village.Code}#{g}", null, 0.8 + 0.4 * rng.NextDouble(), false));
                }
                GroupCore(townshipNode);
            }
            GroupCore(districtNode);
        }
        return root;
    }

    /// <summary>
    /// Gathers the central children (streets, communities) under one unnamed "urban core" node when they
    /// share the parent with others. A power diagram fitted with Lloyd steps pushes small cells to the edge
    /// of large neighbours; as one cell about the size of its neighbours, the core stays at the centre, and
    /// inside it the similar-sized streets or communities split it evenly.
    /// </summary>
    static void GroupCore(PlanNode parent)
    {
        var central = parent.Children.Where(c => c.Central).ToList();
        if (central.Count < 2 || central.Count == parent.Children.Count) return;
        var core = new PlanNode(parent.Code + "/core", null, central.Sum(c => c.Weight), central: true);
        core.Children.AddRange(central);
        parent.Children.RemoveAll(c => c.Central);
        parent.Children.Insert(0, core);
    }

    /// <summary>
    /// The sketch's reported areas; a district without one (the development zone) is given its township
    /// count times the smallest area per township among the others: a zone of streets is as densely divided
    /// as the most urban district. Only the proportions matter; they are scaled to the outline later.
    /// </summary>
    static Dictionary<string, double> DistrictAreas(List<Division> districts, Dictionary<string, DistrictSketch> sketches, ILookup<string, Division> byParent)
    {
        var known = districts.Where(d => sketches[d.Code].AreaKm2 is not null).ToList();
        if (known.Count == 0) throw new ArgumentException("The sketch gives no district area.");
        var perTownship = known.Min(d => sketches[d.Code].AreaKm2!.Value / Math.Max(1, byParent[d.Code].Count()));
        return districts.ToDictionary(d => d.Code, d => sketches[d.Code].AreaKm2 ?? perTownship * Math.Max(1, byParent[d.Code].Count()));
    }
}
