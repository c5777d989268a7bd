using System.Collections.Concurrent;
using System.Numerics;

namespace Dispatch.EarlyWarning.Scan;

/// <summary>
/// Each centre's best cylinder, recorded on the observed data so that secondary clusters can be
/// picked (replicates only need the overall maximum).
/// </summary>
sealed class CentreBest(int centres)
{
    public readonly double[] Score = new double[centres];
    public readonly int[] Size = new int[centres];
    public readonly int[] Window = new int[centres];
}

/// <summary>What the two scans share: replicates in parallel, and clusters picked from the centres' best.</summary>
static class Cylinders
{
    /// <summary>
    /// Runs R replicates on the thread pool and returns their maxima sorted ascending. Replicate r
    /// draws from its own <see cref="Random"/> seeded with the r-th number of <paramref name="rng"/>,
    /// so the result depends on the seed alone, not on how the replicates were spread over threads.
    /// </summary>
    public static double[] Replicate<TScratch>(int replicates, Random rng, int parallelism, Func<TScratch> scratch, Func<Random, TScratch, double> maximum)
    {
        var seeds = new int[replicates];
        for (var r = 0; r < replicates; r++) seeds[r] = rng.Next();
        var maxima = new double[replicates];
        // Parallel.For may start many more tasks than there are cores over a long loop; scratch space
        // (megabytes for the permutation scan) is pooled so that it is allocated once per worker.
        var pool = new ConcurrentBag<TScratch>();
        Parallel.For(0, replicates, new ParallelOptions { MaxDegreeOfParallelism = parallelism },
            () => pool.TryTake(out var s) ? s : scratch(),
            (r, _, local) =>
            {
                maxima[r] = maximum(new Random(seeds[r]), local);
                return local;
            },
            pool.Add);
        Array.Sort(maxima);
        return maxima;
    }

    /// <summary>
    /// The highest-scoring centres' best cylinders that share no grid with a higher one, at most
    /// <paramref name="max"/>, all with a positive score. (SaTScan ranks every cylinder; taking each
    /// centre's best first can pass over a smaller non-overlapping zone of an overlapping centre,
    /// which only affects secondary clusters.)
    /// </summary>
    public static List<(int Centre, int Size, int Window, double Score)> Pick(Zones zones, CentreBest best, int max)
    {
        var centres = Enumerable.Range(0, best.Score.Length).Where(c => best.Score[c] > 0)
            .OrderByDescending(c => best.Score[c]).ThenBy(c => c);
        var taken = new bool[zones.Grids.Count];
        var picked = new List<(int, int, int, double)>();
        foreach (var c in centres)
        {
            var members = zones.Members(c, best.Size[c]);
            var overlaps = false;
            foreach (var g in members) overlaps |= taken[g];
            if (overlaps) continue;
            foreach (var g in members) taken[g] = true;
            picked.Add((c, best.Size[c], best.Window[c], best.Score[c]));
            if (picked.Count == max) break;
        }
        return picked;
    }

    public static ScanCluster Cluster(string detector, int rank, Zones zones, GridDays data, (int Centre, int Size, int Window, double Score) pick,
        double observed, double expected, ScanNull nul)
    {
        var (exceeding, tied) = nul.Rank(pick.Score);
        var grids = new List<string>(pick.Size);
        foreach (var g in zones.Members(pick.Centre, pick.Size)) grids.Add(zones.Grids[g].Code);
        return new ScanCluster(detector, rank, zones.Grids[pick.Centre].Code, grids, zones.Radius(pick.Centre, pick.Size),
            data.End.AddDays(1 - pick.Window), data.End, pick.Window, observed, expected, pick.Score,
            (exceeding + tied + 1.0) / (nul.Replicates + 1.0), nul.Replicates, exceeding, tied);
    }

    /// <summary>
    /// Windows 1 … W are scored a SIMD vector at a time (4 or 8 windows per instruction), so each
    /// grid's row of trailing sums is padded to a whole number of vectors.
    /// </summary>
    public static int Stride(int windows) => (windows + Vector<double>.Count - 1) / Vector<double>.Count * Vector<double>.Count;

    /// <summary>Σ over the zone's grids of a trailing-window sum table (<see cref="GridDays.TrailingSums"/>).</summary>
    public static double Sum(Zones zones, int centre, int size, double[] sums, int stride, int window)
    {
        var total = 0.0;
        foreach (var g in zones.Members(centre, size)) total += sums[g * stride + window - 1];
        return total;
    }

    public static void CheckGrids(Zones zones, GridDays data, string name)
    {
        if (data.Grids != zones.Grids.Count)
            throw new ArgumentException($"{name} has {data.Grids} grids but the zones have {zones.Grids.Count}; rows must follow Zones.Grids.", name);
    }
}
