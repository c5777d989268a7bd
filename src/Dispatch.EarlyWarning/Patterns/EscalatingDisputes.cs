namespace Dispatch.EarlyWarning.Patterns;

/// <summary>Escalation settings: how far back a series reaches, in calendar days ending on the new
/// incident's day, and how many earlier incidents it must have.</summary>
public sealed record EscalationOptions(int Days = 30, int MinEarlier = 1)
{
    /// <summary>A month back, at least one earlier incident.</summary>
    public static EscalationOptions Default { get; } = new();
}

/// <summary>
/// An incident more serious than anything before it in its series.
/// </summary>
/// <param name="Detector"><see cref="EscalatingDisputes.Detector"/>.</param>
/// <param name="Keys">The party keys (or address keys) that link the series.</param>
/// <param name="IncidentIds">The series, oldest first; the last is <see cref="LatestId"/>.</param>
/// <param name="LatestId">The incident that escalated it.</param>
/// <param name="Severities">Severity of each incident of the series, in the same order.</param>
/// <param name="Severity">The new incident's severity.</param>
/// <param name="PreviousMax">The highest severity before it.</param>
/// <param name="From">Day of the first incident of the series (China time).</param>
/// <param name="To">Day of the new incident.</param>
public sealed record Escalation(string Detector, IReadOnlyList<string> Keys, IReadOnlyList<long> IncidentIds, long LatestId,
    IReadOnlyList<int> Severities, int Severity, int PreviousMax, DateOnly From, DateOnly To);

/// <summary>
/// Escalating disputes (矛盾升级, the 民转刑 risk): a series of incidents between the same parties,
/// or at the same address key, whose newest incident is strictly more severe than every earlier one
/// of the series within <see cref="EscalationOptions.Days"/> days — a new high. "Severity" is the
/// caller's scale (<see cref="DisputeSeverity.Of"/>: a neighbour quarrel that comes back as a fight
/// and then as an assault climbs 1 → 3 → 4 tiers). A new high rather than a trend fit because the
/// series are short (two or three incidents) and the question a supervisor asks is "is this worse
/// than it has ever been?"; a count that stays level while severity climbs (docs/benchmarks.md) is
/// caught, a relapse to an earlier level is not. Incidents linked only by distance are not used: two
/// households 30 m apart are not one dispute.
/// </summary>
public static class EscalatingDisputes
{
    /// <summary>The detector's name in results and alerts.</summary>
    public const string Detector = "escalating-dispute";

    /// <summary>Every escalation among the incidents, oldest first (one per escalating incident).</summary>
    public static IReadOnlyList<Escalation> Find(IEnumerable<PatternIncident> incidents, EscalationOptions? options = null)
    {
        var o = options ?? EscalationOptions.Default;
        if (o.Days < 1) throw new ArgumentOutOfRangeException(nameof(options), o.Days, "The series reaches back at least 1 day.");
        if (o.MinEarlier < 1) throw new ArgumentOutOfRangeException(nameof(options), o.MinEarlier, "An escalation needs at least one earlier incident.");

        var sorted = RepeatIncidents.Chronological(incidents);
        var byKey = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var found = new List<Escalation>();
        for (var i = 0; i < sorted.Length; i++)
        {
            var incident = sorted[i];
            var first = incident.Day.AddDays(1 - o.Days);
            var keys = Keys(incident).ToList();
            var earlier = new SortedSet<int>();
            var linking = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var key in keys)
                if (byKey.TryGetValue(key, out var list))
                    foreach (var j in list.Where(j => sorted[j].Day >= first))
                    {
                        earlier.Add(j);
                        linking.Add(key);
                    }
            if (earlier.Count >= o.MinEarlier)
            {
                var previousMax = earlier.Max(j => sorted[j].Severity);
                if (incident.Severity > previousMax)
                {
                    var series = earlier.Append(i).Select(j => sorted[j]).ToList();
                    found.Add(new Escalation(Detector, [.. linking.Select(Unprefix)], [.. series.Select(s => s.Id)], incident.Id,
                        [.. series.Select(s => s.Severity)], incident.Severity, previousMax, series[0].Day, incident.Day));
                }
            }
            foreach (var key in keys) (byKey.TryGetValue(key, out var list) ? list : byKey[key] = []).Add(i);
        }
        return found;
    }

    // Party keys and address keys share one dictionary, kept apart by a prefix.
    static IEnumerable<string> Keys(PatternIncident i) =>
        i.Parties.Distinct().Select(p => "p:" + p).Concat(i.AddressKey is { } a ? ["a:" + a] : []);

    static string Unprefix(string key) => key[2..];
}
