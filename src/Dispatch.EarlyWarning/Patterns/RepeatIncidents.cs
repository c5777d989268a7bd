namespace Dispatch.EarlyWarning.Patterns;

/// <summary>What ties a series of incidents together.</summary>
public enum RepeatLink
{
    /// <summary>The same place: the same address key, or within the radius.</summary>
    Place,
    /// <summary>The same party (a shared party key).</summary>
    Parties,
}

/// <summary>Repeat detection settings: at least <paramref name="MinIncidents"/> linked incidents on
/// at most <paramref name="Days"/> consecutive calendar days; places within <paramref name="RadiusMetres"/>.</summary>
public sealed record RepeatOptions(int MinIncidents = 3, int Days = 7, double RadiusMetres = 50)
{
    /// <summary>Issue 6: ≥ 3 incidents within 7 days, 50 m.</summary>
    public static RepeatOptions Default { get; } = new();
}

/// <summary>
/// A repeat: linked incidents that reached <see cref="RepeatOptions.MinIncidents"/> within
/// <see cref="RepeatOptions.Days"/> days, merged into one series when hits share incidents (one
/// alert per developing signal, not one per incident).
/// </summary>
/// <param name="Detector"><c>repeat-place</c> or <c>repeat-parties</c>.</param>
/// <param name="Keys">The address keys (place) or party keys (parties) that made the hits; for a
/// place linked by distance alone, empty.</param>
/// <param name="IncidentIds">Every incident of the series, oldest first.</param>
/// <param name="From">Day of the first incident (China time).</param>
/// <param name="To">Day of the last.</param>
/// <param name="MostInWindow">The most incidents of the series inside any one window of <see cref="RepeatOptions.Days"/> days.</param>
/// <param name="Lon">Mean longitude of the incidents (where to put it on the map).</param>
/// <param name="Lat">Mean latitude.</param>
public sealed record RepeatSeries(string Detector, RepeatLink Link, IReadOnlyList<string> Keys, IReadOnlyList<long> IncidentIds,
    DateOnly From, DateOnly To, int MostInWindow, double Lon, double Lat);

/// <summary>
/// Repeat place and repeat parties (issue 6): an incident is a hit when, counting itself, at least
/// <see cref="RepeatOptions.MinIncidents"/> incidents linked to it fall on the
/// <see cref="RepeatOptions.Days"/> calendar days ending on its own day, none later than itself.
/// "Within 7 days" is calendar days in China time: days 1, 4 and 7 are within 7 days; days 1, 4
/// and 8 are not, whatever the hours. Linked to it means, for a place, the same address key or at
/// most <see cref="RepeatOptions.RadiusMetres"/> from it (measured from the hit, so a series
/// cannot creep along a street); for parties, sharing a party key with it. Hits that share an
/// incident form one series. Cost: O(n log n) plus the pairs within a 3 × 3 block of radius-sized
/// cells within the window.
/// </summary>
public static class RepeatIncidents
{
    /// <summary>Detector name for series linked by place.</summary>
    public const string PlaceDetector = "repeat-place";

    /// <summary>Detector name for series linked by parties.</summary>
    public const string PartiesDetector = "repeat-parties";

    const double MetresPerDegree = 111_195;

    /// <summary>Series of incidents at one place; oldest series first.</summary>
    public static IReadOnlyList<RepeatSeries> AtPlaces(IEnumerable<PatternIncident> incidents, RepeatOptions? options = null)
    {
        var o = Validate(options);
        var sorted = Chronological(incidents);
        if (sorted.Length == 0) return [];
        var cosLat = Math.Cos(sorted.Average(i => i.Lat) * Math.PI / 180);
        (long, long) Cell(PatternIncident i) =>
            ((long)Math.Floor(i.Lon * MetresPerDegree * cosLat / o.RadiusMetres), (long)Math.Floor(i.Lat * MetresPerDegree / o.RadiusMetres));
        double Distance(PatternIncident a, PatternIncident b)
        {
            var dx = (a.Lon - b.Lon) * MetresPerDegree * cosLat;
            var dy = (a.Lat - b.Lat) * MetresPerDegree;
            return Math.Sqrt(dx * dx + dy * dy);
        }

        var cells = new Dictionary<(long, long), List<int>>();
        var addresses = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var hits = new List<(int[] Members, string[] Keys)>();
        for (var i = 0; i < sorted.Length; i++)
        {
            var incident = sorted[i];
            var first = incident.Day.AddDays(1 - o.Days);
            var linked = new SortedSet<int> { i };
            var (cx, cy) = Cell(incident);
            for (var dx = -1L; dx <= 1; dx++)
                for (var dy = -1L; dy <= 1; dy++)
                    if (cells.TryGetValue((cx + dx, cy + dy), out var near))
                        foreach (var j in near)
                            if (sorted[j].Day >= first && Distance(sorted[j], incident) <= o.RadiusMetres) linked.Add(j);
            if (incident.AddressKey is { } key && addresses.TryGetValue(key, out var same))
                foreach (var j in same)
                    if (sorted[j].Day >= first) linked.Add(j);
            if (linked.Count >= o.MinIncidents)
                hits.Add(([.. linked], [.. linked.Select(j => sorted[j].AddressKey).OfType<string>().Distinct().Order(StringComparer.Ordinal)]));

            cells.TryAdd((cx, cy), []);
            cells[(cx, cy)].Add(i);
            if (incident.AddressKey is { } k) (addresses.TryGetValue(k, out var list) ? list : addresses[k] = []).Add(i);
        }
        return Series(PlaceDetector, RepeatLink.Place, sorted, hits);
    }

    /// <summary>Series of incidents between the same parties; oldest series first.</summary>
    public static IReadOnlyList<RepeatSeries> BetweenParties(IEnumerable<PatternIncident> incidents, RepeatOptions? options = null)
    {
        var o = Validate(options);
        var sorted = Chronological(incidents);
        var byParty = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < sorted.Length; i++)
            foreach (var key in sorted[i].Parties.Distinct())
                (byParty.TryGetValue(key, out var list) ? list : byParty[key] = []).Add(i);

        var hits = new List<(int[] Members, string[] Keys)>();
        foreach (var (key, list) in byParty.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            // list is chronological: the incidents of the window ending at list[end] are list[start..end].
            for (int start = 0, end = 0; end < list.Count; end++)
            {
                while (sorted[list[start]].Day < sorted[list[end]].Day.AddDays(1 - o.Days)) start++;
                if (end - start + 1 >= o.MinIncidents) hits.Add(([.. list[start..(end + 1)]], [key]));
            }
        }
        return Series(PartiesDetector, RepeatLink.Parties, sorted, hits);
    }

    // Hits sharing an incident become one series (union–find over the incidents).
    static List<RepeatSeries> Series(string detector, RepeatLink link, PatternIncident[] sorted, List<(int[] Members, string[] Keys)> hits)
    {
        var parent = Enumerable.Range(0, sorted.Length).ToArray();
        int Root(int i) => parent[i] == i ? i : parent[i] = Root(parent[i]);
        foreach (var (members, _) in hits)
            foreach (var m in members) parent[Root(m)] = Root(members[0]);

        return [.. hits.GroupBy(h => Root(h.Members[0])).Select(group =>
        {
            var members = group.SelectMany(h => h.Members).Distinct().Order().Select(i => sorted[i]).ToList();
            return new RepeatSeries(detector, link,
                [.. group.SelectMany(h => h.Keys).Distinct().Order(StringComparer.Ordinal)],
                [.. members.Select(m => m.Id)], members[0].Day, members[^1].Day,
                group.Max(h => h.Members.Length), members.Average(m => m.Lon), members.Average(m => m.Lat));
        }).OrderBy(s => s.From).ThenBy(s => s.IncidentIds[0])];
    }

    internal static PatternIncident[] Chronological(IEnumerable<PatternIncident> incidents) =>
        [.. incidents.OrderBy(i => i.At).ThenBy(i => i.Id)];

    static RepeatOptions Validate(RepeatOptions? options)
    {
        var o = options ?? RepeatOptions.Default;
        if (o.MinIncidents < 2) throw new ArgumentOutOfRangeException(nameof(options), o.MinIncidents, "A repeat needs at least 2 incidents.");
        if (o.Days < 1) throw new ArgumentOutOfRangeException(nameof(options), o.Days, "The window is at least 1 day.");
        if (!(o.RadiusMetres > 0)) throw new ArgumentOutOfRangeException(nameof(options), o.RadiusMetres, "The radius must be positive.");
        return o;
    }
}
