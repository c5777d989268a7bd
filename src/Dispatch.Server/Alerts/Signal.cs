namespace Dispatch.Server.Alerts;

/// <summary>
/// What one detector found in one region in one scoring run, ready to become (or update) an alert:
/// the grids, the evidence (observed against expected over the window, the score and p-value)
/// and a Chinese explanation a supervisor can read aloud at a briefing; and where it is hottest
/// (<see cref="Spot"/>), where a task made from it goes. A developing event (<see cref="DevelopingEvents"/>)
/// speaks with its strongest finding and lists them all in <see cref="Evidence"/>.
/// </summary>
public sealed record Signal(
    string Detector, string RegionCode, IReadOnlyList<string> Grids, string Level, string Title, string Summary,
    double? Observed, double? Expected, double? Score, double? PValue, DateOnly From, DateOnly To, Spot? Spot = null,
    IReadOnlyList<Finding>? Evidence = null)
{
    /// <summary>notice for the rules that fire by definition, alarm otherwise — as the database's <c>alert_lane</c> (migration 0030) says.</summary>
    public string Lane => Detector is "three-zero-change" or "risk-unassessed" ? "notice" : "alarm";

    /// <summary>
    /// The common currency of alarms judged against the citywide maxima of a signal-free city: a
    /// p-value of p is a day like this once in 1/p days somewhere in the city. At the null's floor
    /// (no replicate reached it) it is at most that often.
    /// </summary>
    public static string Recurrence(double pValue, int replicates)
    {
        var floor = pValue <= 1.0 / (replicates + 1) * 1.000001;
        var days = 1 / Math.Max(pValue, 1.0 / (replicates + 1));
        var every = days < 60 ? $"{days:0} 天" : days < 730 ? $"{days / 30.4:0} 个月" : $"{days / 365.25:0.#} 年";
        return floor ? $"按全市无异常时的模拟，这种程度的异常不到每 {every}出现一次" : $"按全市无异常时的模拟，这种程度的异常约每 {every}出现一次";
    }

    /// <summary>The smallest region whose code is a prefix of every grid's: village, township, district, else the city.</summary>
    public static string RegionOf(IReadOnlyCollection<string> grids)
    {
        foreach (var length in new[] { 15, 12, 9, 6 })
        {
            var prefix = grids.First()[..length];
            if (grids.All(g => g.StartsWith(prefix, StringComparison.Ordinal))) return prefix;
        }
        return CurrentUser.CityCode;
    }
}

/// <summary>A WGS 84 position: the hot spot of a signal.</summary>
public readonly record struct Spot(double Lon, double Lat);
