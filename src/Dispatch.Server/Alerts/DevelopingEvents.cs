using Dispatch.EarlyWarning;
using Dispatch.EarlyWarning.Scan;

namespace Dispatch.Server.Alerts;

/// <summary>One detector's finding inside a developing event's alert, as <c>alert.evidence</c> lists it.</summary>
public sealed record Finding(string Detector, string Level, string RegionCode, int Grids, string Summary, double? Observed, double? Expected,
    double? Score, double? PValue, DateOnly From, DateOnly To);

/// <summary>
/// One alert per developing event (issue 15). A village burst is seen at once by the scan, by EARS
/// on the village's and the township's series and by both village charts: five alerts for one
/// thing. Here the run's excess findings that overlap in space become one event: each scan cluster
/// is a hot spot (overlapping clusters merge); a village's findings join the strongest hot spot that
/// touches the village, and make the village an event of its own where none does; a township's
/// EARS joins the strongest event inside the township, else stands alone. Nothing is joined through
/// a township, so two hot spots in one township stay two events. The event speaks with its
/// strongest finding (level, then p-value) and lists every one, strongest first; its area is its
/// hot spots and villages. Pure: tested without I/O.
/// </summary>
public static class DevelopingEvents
{
    /// <summary>The detectors of an excess of reports, whose findings merge.</summary>
    public static readonly string[] Merging =
        ["ears-c2", RegionCharts.Detector(ChartMethod.Cusum), RegionCharts.Detector(ChartMethod.Ewma), ExpectationBasedScan.Detector];

    public static string DetectorName(string detector) => detector switch
    {
        "ears-c2" => "EARS C2",
        "nb-cusum" => "负二项 CUSUM",
        "ewma" => "EWMA",
        ExpectationBasedScan.Detector => "时空扫描",
        _ => detector,
    };

    sealed class Event(Signal first)
    {
        public readonly List<Signal> Findings = [first];
        public readonly HashSet<string> Area = [.. first.Grids];
    }

    /// <summary>
    /// The run's signals with the excess findings merged into events — each a signal of its
    /// strongest finding's detector with <see cref="Signal.Evidence"/> — and every other signal as it was.
    /// </summary>
    public static List<Signal> Merge(IReadOnlyList<Signal> signals, Func<string, string> name)
    {
        var merging = signals.Where(s => Merging.Contains(s.Detector)).OrderBy(s => s, Strength).ToList();
        var events = new List<Event>();
        foreach (var scan in merging.Where(s => s.Detector == ExpectationBasedScan.Detector))
        {
            if (events.FirstOrDefault(e => e.Area.Overlaps(scan.Grids)) is { } e)
            {
                e.Findings.Add(scan);
                e.Area.UnionWith(scan.Grids);
            }
            else events.Add(new Event(scan));
        }
        // A village's findings: they join a hot spot touching the village and widen it to the village.
        foreach (var village in merging.Where(s => s.Detector != ExpectationBasedScan.Detector && s.RegionCode.Length == 12))
        {
            if (events.FirstOrDefault(e => e.Area.Overlaps(village.Grids)) is { } e)
            {
                e.Findings.Add(village);
                e.Area.UnionWith(village.Grids);
            }
            else events.Add(new Event(village));
        }
        // A township's (and any wider region's) series: the strongest event inside it, not a bridge between two.
        foreach (var wide in merging.Where(s => s.Detector != ExpectationBasedScan.Detector && s.RegionCode.Length != 12))
        {
            if (events.FirstOrDefault(e => e.Area.All(g => g.StartsWith(wide.RegionCode, StringComparison.Ordinal))) is { } e) e.Findings.Add(wide);
            else events.Add(new Event(wide));
        }
        return [.. events.Select(e => Speak(e, name)), .. signals.Where(s => !Merging.Contains(s.Detector))];
    }

    /// <summary>Red before orange before yellow before blue; within a level the smaller p-value, then the scan before the series.</summary>
    static readonly Comparer<Signal> Strength = Comparer<Signal>.Create((a, b) =>
        Array.IndexOf(AlertLifecycle.Levels, b.Level).CompareTo(Array.IndexOf(AlertLifecycle.Levels, a.Level)) is var byLevel and not 0 ? byLevel
        : (a.PValue ?? 1).CompareTo(b.PValue ?? 1) is var byP and not 0 ? byP
        : Array.IndexOf(Merging, b.Detector).CompareTo(Array.IndexOf(Merging, a.Detector)) is var byDetector and not 0 ? byDetector
        : string.CompareOrdinal(a.RegionCode, b.RegionCode));

    static Signal Speak(Event e, Func<string, string> name)
    {
        var findings = e.Findings.OrderBy(s => s, Strength).ToList();
        var lead = findings[0];
        var grids = e.Area.Order(StringComparer.Ordinal).ToList();
        var also = findings.Skip(1).Select(f => $"{DetectorName(f.Detector)}（{name(f.RegionCode)}，{AlertLifecycle.LevelName(f.Level)}）").Distinct().ToList();
        var summary = also.Count == 0 ? lead.Summary : $"{lead.Summary} 同一事件另有 {also.Count} 项检测报警：{string.Join("、", also)}。";
        return lead with
        {
            RegionCode = Signal.RegionOf(grids), Grids = grids, Summary = summary,
            From = findings.Min(f => f.From), To = findings.Max(f => f.To),
            Evidence = [.. findings.Select(f => new Finding(f.Detector, f.Level, f.RegionCode, f.Grids.Count, f.Summary, RaiseAlerts.Finite(f.Observed),
                RaiseAlerts.Finite(f.Expected), RaiseAlerts.Finite(f.Score), RaiseAlerts.Finite(f.PValue), f.From, f.To))],
        };
    }
}
