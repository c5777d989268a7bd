using Dispatch.EarlyWarning.Scan;

namespace Dispatch.EarlyWarning.Evaluation;

/// <summary>A level of the administrative nesting whose daily series the temporal detectors judge.</summary>
public enum Level
{
    /// <summary>网格: the whole 15-digit code.</summary>
    Grid = 15,
    /// <summary>村/社区: the grid code's first 12 digits.</summary>
    Village = 12,
    /// <summary>乡镇/街道: the first 9 digits.</summary>
    Township = 9,
}

/// <summary>
/// Grids with their villages and townships, read from the codes (district 6 digits, township 9,
/// village 12, grid 15), and the k-nearest zones the scans and the shaped signals use.
/// </summary>
public sealed class Nesting
{
    readonly Dictionary<Level, (int[] UnitOf, int[][] Members, string[] Codes)> units = [];

    /// <summary>Builds the nesting and zones of up to <paramref name="zoneSize"/> nearest grids.</summary>
    public Nesting(IReadOnlyList<GridPoint> grids, int zoneSize)
    {
        Zones = Zones.Nearest(grids, zoneSize);
        foreach (var level in Enum.GetValues<Level>())
        {
            var codes = new List<string>();
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var unitOf = new int[grids.Count];
            for (var g = 0; g < grids.Count; g++)
            {
                var code = grids[g].Code.Length >= (int)level ? grids[g].Code[..(int)level] : grids[g].Code;
                if (!index.TryGetValue(code, out var u)) { index[code] = u = codes.Count; codes.Add(code); }
                unitOf[g] = u;
            }
            var members = Enumerable.Range(0, codes.Count).Select(_ => new List<int>()).ToArray();
            for (var g = 0; g < grids.Count; g++) members[unitOf[g]].Add(g);
            units[level] = (unitOf, [.. members.Select(m => m.ToArray())], [.. codes]);
        }
    }

    /// <summary>The scan zones (grid g is row g of every count matrix).</summary>
    public Zones Zones { get; }

    /// <summary>Number of grids.</summary>
    public int Grids => Zones.Grids.Count;

    /// <summary>The unit (village or township index) of each grid.</summary>
    public int[] UnitOf(Level level) => units[level].UnitOf;

    /// <summary>The grids of each unit.</summary>
    public int[][] Members(Level level) => units[level].Members;

    /// <summary>Codes of the units.</summary>
    public string[] Codes(Level level) => units[level].Codes;
}
