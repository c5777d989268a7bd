using Dispatch.EarlyWarning.Scan;

namespace Dispatch.EarlyWarning.Patterns;

/// <summary>Where a silent grid's expected count comes from.</summary>
public enum SilentExpectation
{
    /// <summary>The grid's own daily rate before the silence.</summary>
    OwnHistory,
    /// <summary>The mean daily rate of its neighbours before the silence (for grids whose own
    /// history is not trusted, e.g. newly drawn).</summary>
    Neighbours,
}

/// <summary>Silent-grid settings.</summary>
/// <param name="MinSilentDays">N: days without a report, counted back from the last day.</param>
/// <param name="Alpha">Flag when P(no report in those days) &lt; α. Each grid is a test of its own:
/// over 4,122 grids, α = 0.001 allows about one false silent grid per run among the grids busy
/// enough to be flagged at all.</param>
/// <param name="Neighbours">How many nearest grids are its neighbours (the zones must be at least
/// this + 1 large).</param>
/// <param name="MinHistoryDays">Days kept before the silence to estimate rates from; a longer
/// silence is judged over its last (days − MinHistoryDays) days.</param>
/// <param name="From">Own history, or the neighbours' rate. A grid that never reported has a rate of
/// 0 by its own history and is never flagged; by its neighbours' it can be.</param>
public sealed record SilentGridOptions(int MinSilentDays = 7, double Alpha = 0.001, int Neighbours = 8, int MinHistoryDays = 28,
    SilentExpectation From = SilentExpectation.OwnHistory);

/// <summary>
/// A grid that has gone quiet while its neighbours have not.
/// </summary>
/// <param name="Detector"><see cref="SilentGrids.Detector"/>.</param>
/// <param name="Grid">The grid's code.</param>
/// <param name="From">First silent day judged (the silence may have begun earlier when it reaches
/// back into the <see cref="SilentGridOptions.MinHistoryDays"/> kept for the rates).</param>
/// <param name="To">Last day (the last day of the data).</param>
/// <param name="Days">Length of the silence judged (≥ N).</param>
/// <param name="Rate">Daily rate used for the grid (own history or neighbours').</param>
/// <param name="Activity">The neighbours' observed / expected count during the silence, at most 1.</param>
/// <param name="Expected">Reports expected during the silence: Days × Rate × Activity.</param>
/// <param name="Probability">P(0 reports | Expected) = e^−Expected under a Poisson model.</param>
/// <param name="NeighbourObserved">The neighbours' reports during the silence.</param>
/// <param name="NeighbourExpected">What their own histories predicted for those days.</param>
/// <param name="Neighbours">Codes of the neighbours, nearest first.</param>
public sealed record SilentGrid(string Detector, string Grid, DateOnly From, DateOnly To, int Days, double Rate, double Activity,
    double Expected, double Probability, double NeighbourObserved, double NeighbourExpected, IReadOnlyList<string> Neighbours);

/// <summary>
/// Silent grids (under-reporting): a grid with no report for at least N days, whose history makes
/// that improbable, while its neighbours go on reporting. With r the grid's daily rate over the days
/// before the silence and D the silence's length, the expected count is D·r·a, where a = min(1,
/// O/E) is the neighbours' activity (their reports during the silence over what their own rates
/// predicted). The factor a discounts a lull everyone shares (a holiday, a storm) — if the whole
/// area is quiet, so may the grid be — and is capped at 1 so that busy neighbours never make
/// silence look less likely than the grid's own history does. Flag when e^−D·r·a &lt; α and the
/// neighbours reported at least once. Cost: O(grids × (days + neighbours × days)).
/// </summary>
public static class SilentGrids
{
    /// <summary>The detector's name in results and alerts.</summary>
    public const string Detector = "silent-grid";

    /// <summary>The silent grids in <paramref name="counts"/> (daily reports per grid, rows in the
    /// order of <paramref name="zones"/>), most improbable first. When <paramref name="lastDayOpen"/>
    /// the last day is still under way (a live run's today): a grid quiet so far today has not been
    /// silent for it — the silence is judged on the complete days — while a report today ends it.</summary>
    public static IReadOnlyList<SilentGrid> Find(Zones zones, GridDays counts, SilentGridOptions? options = null, bool lastDayOpen = false)
    {
        var o = options ?? new SilentGridOptions();
        Validate(zones, counts, o);
        if (lastDayOpen)
            return [.. Find(zones, counts.Head(counts.Days - 1), o).Where(s => counts[zones.IndexOf(s.Grid), counts.Days - 1] == 0)];
        var found = new List<SilentGrid>();
        for (var g = 0; g < counts.Grids; g++)
        {
            // The silence judged: the trailing run of zero days, cut to leave MinHistoryDays before it.
            var silent = 0;
            while (silent < counts.Days - o.MinHistoryDays && counts[g, counts.Days - 1 - silent] == 0) silent++;
            var history = counts.Days - silent;
            if (silent < o.MinSilentDays) continue;

            var neighbours = zones.Members(g, Math.Min(o.Neighbours + 1, zones.SizesAt(g)))[1..].ToArray();
            double observed = 0, expected = 0, neighbourRate = 0;
            foreach (var n in neighbours)
            {
                var rate = Sum(counts, n, 0, history) / history;
                neighbourRate += rate / neighbours.Length;
                expected += rate * silent;
                observed += Sum(counts, n, history, counts.Days);
            }
            if (observed == 0 || expected == 0) continue;

            var own = o.From == SilentExpectation.OwnHistory ? Sum(counts, g, 0, history) / history : neighbourRate;
            var activity = Math.Min(1, observed / expected);
            var mean = silent * own * activity;
            var probability = Math.Exp(-mean);
            if (probability < o.Alpha)
                found.Add(new SilentGrid(Detector, zones.Grids[g].Code, counts.DateOf(history), counts.End, silent, own, activity,
                    mean, probability, observed, expected, [.. neighbours.Select(n => zones.Grids[n].Code)]));
        }
        return [.. found.OrderBy(s => s.Probability).ThenBy(s => s.Grid, StringComparer.Ordinal)];
    }

    static double Sum(GridDays counts, int grid, int from, int to)
    {
        var sum = 0.0;
        for (var d = from; d < to; d++) sum += counts[grid, d];
        return sum;
    }

    static void Validate(Zones zones, GridDays counts, SilentGridOptions o)
    {
        if (counts.Grids != zones.Grids.Count)
            throw new ArgumentException($"{counts.Grids} grids of counts but {zones.Grids.Count} in the zones.", nameof(counts));
        if (o.MinSilentDays < 1) throw new ArgumentOutOfRangeException(nameof(o.MinSilentDays), o.MinSilentDays, "At least one silent day.");
        if (!(o.Alpha > 0 && o.Alpha < 1)) throw new ArgumentOutOfRangeException(nameof(o.Alpha), o.Alpha, "α must lie strictly between 0 and 1.");
        if (o.Neighbours < 1) throw new ArgumentOutOfRangeException(nameof(o.Neighbours), o.Neighbours, "At least one neighbour.");
        if (o.MinHistoryDays < 1) throw new ArgumentOutOfRangeException(nameof(o.MinHistoryDays), o.MinHistoryDays, "At least one day of history.");
    }
}
