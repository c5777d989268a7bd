namespace Dispatch.EarlyWarning.Scan;

/// <summary>Settings shared by the scans.</summary>
/// <param name="MaxWindow">Longest window in days, W: cylinders cover the last 1 … W days. Neill
/// (2005) used 7; windows up to 30 are supported (a longer W dilutes a short outbreak's signal).</param>
/// <param name="Replicates">Monte Carlo replicates R; p-values are multiples of 1/(R + 1). 999, as
/// in SaTScan, resolves p down to 0.001.</param>
/// <param name="MaxClusters">Most clusters to report: the most likely one and secondary clusters
/// that share no grid with a higher-scoring one (SaTScan's "no geographical overlap").</param>
/// <param name="MaxDegreeOfParallelism">Threads for the replicates (−1: all cores).</param>
public sealed record ScanOptions(int MaxWindow = 7, int Replicates = 999, int MaxClusters = 5, int MaxDegreeOfParallelism = -1)
{
    internal void Validate(int days)
    {
        if (MaxWindow < 1 || MaxWindow > days)
            throw new ArgumentOutOfRangeException(nameof(MaxWindow), MaxWindow, $"The longest window must be 1 to {days} days (the days given).");
        if (Replicates < 1) throw new ArgumentOutOfRangeException(nameof(Replicates), Replicates, "At least one Monte Carlo replicate is needed.");
        if (MaxClusters < 1) throw new ArgumentOutOfRangeException(nameof(MaxClusters), MaxClusters, "Report at least one cluster.");
    }
}

/// <summary>
/// A space-time cluster a scan found: a zone (centre grid and its nearest neighbours) over the
/// last <see cref="Days"/> days, with the evidence for it.
/// </summary>
/// <param name="Detector">Which scan: <see cref="ExpectationBasedScan.Detector"/> or <see cref="SpaceTimePermutationScan.Detector"/>.</param>
/// <param name="Rank">1 for the most likely cluster; 2, 3 … for secondary clusters in descending score.</param>
/// <param name="Centre">Code of the centre grid.</param>
/// <param name="Grids">Codes of the zone's grids, nearest the centre first (the centre is first).</param>
/// <param name="RadiusMetres">Distance from the centre to the farthest grid of the zone.</param>
/// <param name="From">First day of the window.</param>
/// <param name="To">Last day of the window (the last day scanned).</param>
/// <param name="Days">Window length in days.</param>
/// <param name="Observed">Incidents in the zone during the window.</param>
/// <param name="Expected">Incidents expected there: the baseline sum (expectation-based scan) or
/// zone total × window total / grand total (space-time permutation scan).</param>
/// <param name="Score">Log-likelihood ratio of the cylinder.</param>
/// <param name="PValue">Monte Carlo p-value (E + T + 1)/(R + 1), ties counted against the cluster as
/// SaTScan does. A secondary cluster is compared with the null of the most likely one, so its
/// p-value is conservative.</param>
/// <param name="Replicates">R, the Monte Carlo replicates.</param>
/// <param name="Exceeding">E: replicates whose maximum score exceeded <see cref="Score"/>.</param>
/// <param name="Tied">T: replicates whose maximum equalled it (a randomised p-value can split these).</param>
public sealed record ScanCluster(
    string Detector, int Rank, string Centre, IReadOnlyList<string> Grids, double RadiusMetres,
    DateOnly From, DateOnly To, int Days, double Observed, double Expected, double Score,
    double PValue, int Replicates, int Exceeding, int Tied)
{
    /// <summary>Observed / expected.</summary>
    public double RelativeRisk => Observed / Expected;
}

/// <summary>
/// The Monte Carlo null of a scan: the maximum score of each replicate, sorted ascending, and the
/// fingerprint of the inputs it was drawn from, so a stale null is refused rather than misused.
/// Plain data, so it can be stored between the nightly refresh and the scoring runs.
/// </summary>
public sealed record ScanNull(ulong Fingerprint, double[] SortedMaxima)
{
    /// <summary>R.</summary>
    public int Replicates => SortedMaxima.Length;

    /// <summary>Replicates whose maximum exceeds <paramref name="score"/>, and those equal to it.</summary>
    public (int Exceeding, int Tied) Rank(double score)
    {
        var firstAtLeast = LowerBound(score);
        var firstAbove = firstAtLeast;
        while (firstAbove < SortedMaxima.Length && SortedMaxima[firstAbove] == score) firstAbove++;
        return (SortedMaxima.Length - firstAbove, firstAbove - firstAtLeast);
    }

    /// <summary>(E + T + 1)/(R + 1).</summary>
    public double PValue(double score)
    {
        var (exceeding, tied) = Rank(score);
        return (exceeding + tied + 1.0) / (Replicates + 1.0);
    }

    int LowerBound(double score)
    {
        int low = 0, high = SortedMaxima.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (SortedMaxima[mid] < score) low = mid + 1; else high = mid;
        }
        return low;
    }
}
