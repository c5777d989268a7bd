using Dispatch.EarlyWarning.Patterns;

namespace Dispatch.EarlyWarning.Evaluation;

/// <summary>
/// Incidents behind the background counts, for the incident-level detectors: each counted incident
/// gets a time of day, a place uniform in a disc around its grid's service point whose radius is
/// half the distance to the nearest other grid (about the grid's own radius: a few hundred metres
/// in town, kilometres in the hills), one of
/// <see cref="AddressesPerGrid"/> addresses of its grid, two of <see cref="PartiesPerGrid"/> parties
/// of its grid and a severity (tiers 0–4 weighted 30/40/10/15/5 %, priority uniform). These sizes
/// are assumptions, not measurements: they set how often unrelated incidents coincide, i.e. the
/// rule-based detectors' false alarms.
/// </summary>
public sealed class Incidents
{
    /// <summary>Addresses (buildings, shops) per grid.</summary>
    public const int AddressesPerGrid = 500;

    /// <summary>Households or people per grid who can be parties to a dispute.</summary>
    public const int PartiesPerGrid = 2000;

    const double MetresPerDegree = 111_195;

    readonly PatternIncident[] all;
    readonly int[] gridOf;
    readonly int[] firstOfDay; // index of the first incident of each day from From, and one past the end

    /// <summary>Builds the incidents of days <paramref name="from"/> … the end of the background.</summary>
    public Incidents(World world, int from, int seed)
    {
        From = from;
        var b = world.Background;
        points = world.Nesting.Zones.Grids;
        var zones = world.Nesting.Zones;
        var reach = new double[b.Grids]; // disc radius in metres
        for (var g = 0; g < b.Grids; g++) reach[g] = zones.SizesAt(g) > 1 ? zones.Radius(g, 2) / 2 : 500;
        var rng = new Random(seed);
        var list = new List<PatternIncident>();
        var grids = new List<int>();
        firstOfDay = new int[b.Days - from + 1];
        long id = 1;
        double[] tiers = [0.30, 0.70, 0.80, 0.95, 1.0];
        for (var day = from; day < b.Days; day++)
        {
            firstOfDay[day - from] = list.Count;
            var date = BackgroundOptions.Origin.AddDays(day);
            for (var g = 0; g < b.Grids; g++)
                for (var k = 0; k < b[g, day]; k++)
                {
                    var u = rng.NextDouble();
                    var tier = Array.FindIndex(tiers, t => u < t);
                    // Uniform in the disc: radius ∝ √U.
                    var r = reach[g] * Math.Sqrt(rng.NextDouble());
                    var angle = 2 * Math.PI * rng.NextDouble();
                    var lat = points[g].Lat + r * Math.Sin(angle) / MetresPerDegree;
                    var lon = points[g].Lon + r * Math.Cos(angle) / (MetresPerDegree * Math.Cos(points[g].Lat * Math.PI / 180));
                    list.Add(new PatternIncident(id++, At(date, rng.NextDouble()), lon, lat,
                        $"{g}/a{rng.Next(AddressesPerGrid)}", [$"{g}/p{rng.Next(PartiesPerGrid)}", $"{g}/p{rng.Next(PartiesPerGrid)}"],
                        tier * 4 + rng.Next(4)));
                    grids.Add(g);
                }
        }
        firstOfDay[^1] = list.Count;
        all = [.. list];
        gridOf = [.. grids];
    }

    readonly IReadOnlyList<Scan.GridPoint> points;

    /// <summary>The service point of grid g.</summary>
    public Scan.GridPoint Point(int grid) => points[grid];

    /// <summary>First day with incidents.</summary>
    public int From { get; }

    /// <summary>Incidents of days <paramref name="first"/> … <paramref name="last"/> with their grids.</summary>
    public IEnumerable<(PatternIncident Incident, int Grid)> Between(int first, int last)
    {
        for (var i = firstOfDay[Math.Max(first, From) - From]; i < firstOfDay[last - From + 1]; i++) yield return (all[i], gridOf[i]);
    }

    /// <summary>China time on a date: noon ± half a day, so a planted incident stays on its day.</summary>
    public static DateTimeOffset At(DateOnly date, double fraction) =>
        new(date.ToDateTime(new TimeOnly(0, 0)).AddHours(0.5 + 23 * fraction), TimeSpan.FromHours(8));
}

/// <summary>
/// Repeat place (≥ 3 incidents at one address or within 50 m in 7 days) or escalating disputes
/// (a new high of severity between the same parties within 30 days), judged each day on the
/// incidents up to it: the day's alarms are the series that gained a hit that day. These are rules,
/// not scores, so they are not calibrated: their false alarms are what they are.
/// </summary>
public sealed class PatternDetector(bool escalation, Incidents incidents, int days)
    : EvaluatedDetector(escalation ? "矛盾升级 escalation rule" : "重复地点 repeat-place rule")
{
    List<Alarm>[] signalFree = [];

    /// <summary>Fixed, not calibrated.</summary>
    public override bool Calibrated => false;

    int Lookback => escalation ? EscalationOptions.Default.Days : RepeatOptions.Default.Days;

    /// <summary>Judges only the first <paramref name="days"/> test days (incidents take memory); alarm
    /// counts are scaled to a year.</summary>
    public override void ScoreSignalFree(World world)
    {
        signalFree = new List<Alarm>[days];
        DailyMax = new double[days];
        for (var d = 0; d < days; d++)
        {
            signalFree[d] = Alarms(world.TestStart + d, null);
            DailyMax[d] = signalFree[d].Count > 0 ? 1 : 0;
        }
    }

    /// <inheritdoc/>
    public override List<Alarm> AlarmsSignalFree(int testDay, double floor) => floor < 1 ? signalFree[testDay] : [];

    /// <inheritdoc/>
    public override List<Alarm>[] AlarmsWithSignal(Injection injection, double floor) =>
        [.. Enumerable.Range(0, injection.Days).Select(i => floor < 1 ? Alarms(injection.Start + i, injection.Incidents) : [])];

    List<Alarm> Alarms(int day, Planted[]? planted)
    {
        var window = incidents.Between(day - Lookback + 1, day).ToList();
        if (planted is not null)
            foreach (var p in planted.Where(p => p.Day <= day && p.Day > day - Lookback))
                window.Add((new PatternIncident(-1 - Array.IndexOf(planted, p), Incidents.At(BackgroundOptions.Origin.AddDays(p.Day), 0.5),
                    0, 0, escalation ? null : p.Key, escalation ? [p.Key] : null, p.Severity), p.Grid));
        var grid = window.ToDictionary(w => w.Incident.Id, w => w.Grid);
        // Planted incidents sit at their grid's service point (as the background's do, give or take 200 m).
        var located = window.Select(w => w.Incident.Id < 0
            ? w.Incident with { Lon = incidents.Point(w.Grid).Lon, Lat = incidents.Point(w.Grid).Lat } : w.Incident).ToList();
        var date = BackgroundOptions.Origin.AddDays(day);
        var result = new List<Alarm>();
        if (escalation)
        {
            foreach (var e in EscalatingDisputes.Find(located))
                if (e.To == date) result.Add(new Alarm(1, [grid[e.LatestId]]));
        }
        else
        {
            foreach (var s in RepeatIncidents.AtPlaces(located))
                if (s.To == date) result.Add(new Alarm(1, [.. s.IncidentIds.Select(i => grid[i]).Distinct()]));
        }
        return result;
    }
}
