namespace Dispatch.EarlyWarning.Patterns;

/// <summary>
/// An incident as the repeat and escalation detectors see it.
/// </summary>
/// <param name="Id">The incident's id, reported back in results.</param>
/// <param name="At">When it was reported.</param>
/// <param name="Lon">WGS 84 longitude of its location.</param>
/// <param name="Lat">WGS 84 latitude.</param>
/// <param name="AddressKey">A normalised address (same building, same shop) when the caller has one;
/// two incidents with the same key are at the same place whatever their coordinates.</param>
/// <param name="PartyKeys">Normalised keys of the parties involved — keyed hashes, never names or
/// phone numbers (parties are personal data under PIPL). Empty when unknown.</param>
/// <param name="Severity">Higher is more serious; see <see cref="DisputeSeverity.Of"/>.</param>
public sealed record PatternIncident(long Id, DateTimeOffset At, double Lon, double Lat, string? AddressKey = null,
    IReadOnlyList<string>? PartyKeys = null, int Severity = 0)
{
    /// <summary>The calendar day in China Standard Time (UTC+8 all year; China has kept no daylight
    /// saving since 1991), the day a supervisor means by "within 7 days".</summary>
    public DateOnly Day => DateOnly.FromDateTime(At.ToOffset(ChinaTime.Offset).DateTime);

    internal IReadOnlyList<string> Parties => PartyKeys ?? [];
}

static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);
}

/// <summary>
/// A severity scale for linking incidents into escalating series, from the category and the
/// priority of migration 0002 (priority 1 紧急 … 4 一般).
/// </summary>
public static class DisputeSeverity
{
    /// <summary>
    /// Tier × 4 + (4 − priority), so the kind of incident dominates and priority orders within a
    /// kind. Tiers follow the 民转刑 path a dispute can take (civil dispute turning criminal):
    /// 0 public-service request; 1 dispute (矛盾纠纷 and its sub-categories); 2 petition or safety
    /// hazard; 3 public order (治安) or accident; 4 criminal case. Unknown categories count as
    /// disputes. Range 0 … 19.
    /// </summary>
    public static int Of(string categoryCode, int priority)
    {
        var root = categoryCode.Split('.')[0];
        var tier = root switch
        {
            "service" => 0,
            "petition" or "safety" => 2,
            "order" or "accident" => 3,
            "criminal" => 4,
            _ => 1,
        };
        return tier * 4 + (4 - Math.Clamp(priority, 1, 4));
    }
}
