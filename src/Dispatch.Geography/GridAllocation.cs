namespace Dispatch.Geography;

/// <summary>Splits a whole number of grids over villages in proportion to weights.</summary>
public static class GridAllocation
{
    /// <summary>
    /// Largest-remainder apportionment with a floor of one each: every item gets ⌊quota⌋ (at least 1), then
    /// the items with the largest fractional remainders get one more until the counts add up to
    /// <paramref name="total"/>; if the floor of one overshoots, the most over-served items give one back.
    /// Ties go to the lower index, so the result is deterministic. O(n log n).
    /// </summary>
    public static int[] Apportion(IReadOnlyList<double> weights, int total)
    {
        if (total < weights.Count) throw new ArgumentException($"Cannot give {weights.Count} items at least one of {total}.");
        var sum = weights.Sum();
        var quotas = weights.Select(w => total * w / sum).ToArray();
        var counts = quotas.Select(q => Math.Max(1, (int)Math.Floor(q))).ToArray();
        var missing = total - counts.Sum();
        // Ordered by how much each is owed (quota − count): most owed first.
        var byOwed = Enumerable.Range(0, counts.Length).OrderByDescending(i => quotas[i] - counts[i]).ThenBy(i => i).ToList();
        for (var k = 0; missing > 0; k++, missing--) counts[byOwed[k % byOwed.Count]]++;
        byOwed.Reverse();
        foreach (var i in byOwed.Where(i => counts[i] > 1))
        {
            if (missing == 0) break;
            counts[i]--;
            missing++;
        }
        if (missing != 0) throw new ArgumentException("Weights too uneven to give every item at least one.");
        return counts;
    }
}
