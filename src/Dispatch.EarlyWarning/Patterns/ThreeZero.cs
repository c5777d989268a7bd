namespace Dispatch.EarlyWarning.Patterns;

/// <summary>The three zeros of Hebi's 三零 campaign.</summary>
public enum ThreeZeroKind
{
    /// <summary>零上访: no petition that left the township (越级上访).</summary>
    Petitions,
    /// <summary>零事故: no accident.</summary>
    Accidents,
    /// <summary>零案件: no criminal case.</summary>
    Cases,
}

/// <summary>
/// An incident of a village as the 三零 assessment sees it (columns of the <c>incident</c> table).
/// </summary>
/// <param name="Level">The level handling it: <c>township</c>, <c>district</c> or <c>city</c>.</param>
/// <param name="Status">Its lifecycle status; <c>rejected</c> (不予受理) and <c>cancelled</c> (撤销) do not count.</param>
/// <param name="IsDuplicate">A duplicate of another incident (<c>duplicate_of</c> set) does not count twice.</param>
/// <param name="Priority">1 紧急 … 4 一般: whether it is major enough to count (<see cref="ThreeZeroMajor"/>); absent, the most urgent.</param>
public sealed record VillageIncident(long Id, DateTimeOffset At, string CategoryCode, string Level, string Status, bool IsDuplicate = false, int Priority = 1)
{
    /// <summary>Its day in China time.</summary>
    public DateOnly Day => DateOnly.FromDateTime(At.ToOffset(ChinaTime.Offset).DateTime);
}

/// <summary>
/// A village's 三零 standing over a period (days From … To inclusive, China time).
/// </summary>
/// <param name="Breaking">Ids of the incidents that break a zero, oldest first.</param>
public sealed record ThreeZeroStatus(string Village, DateOnly From, DateOnly To, int Petitions, int Accidents, int Cases, IReadOnlyList<long> Breaking)
{
    /// <summary>All three zeros hold: a 三零 village for the period.</summary>
    public bool IsThreeZero => Petitions == 0 && Accidents == 0 && Cases == 0;

    /// <summary>Whether one zero holds.</summary>
    public bool Holds(ThreeZeroKind kind) => kind switch
    {
        ThreeZeroKind.Petitions => Petitions == 0,
        ThreeZeroKind.Accidents => Accidents == 0,
        _ => Cases == 0,
    };
}

/// <summary>A change of a village's 三零 standing between two assessments.</summary>
/// <param name="Detector"><see cref="ThreeZero.Detector"/>.</param>
/// <param name="Lost">Zeros that held before and no longer do.</param>
/// <param name="Regained">Zeros that did not hold before and now do (a new period starting clean).</param>
public sealed record ThreeZeroChange(string Detector, string Village, ThreeZeroStatus Before, ThreeZeroStatus After,
    IReadOnlyList<ThreeZeroKind> Lost, IReadOnlyList<ThreeZeroKind> Regained)
{
    /// <summary>A 三零 village that is one no longer — the change worth an alert.</summary>
    public bool LostStatus => Before.IsThreeZero && !After.IsThreeZero;

    /// <summary>A village that has become 三零.</summary>
    public bool GainedStatus => !Before.IsThreeZero && After.IsThreeZero;
}

/// <summary>
/// What is "major" enough to break a zero: category prefix → the least urgent priority that still
/// counts (priority 1 = most urgent, 4 = routine; 4 counts every priority, 0 none). The longest
/// prefix on a dot boundary wins (<c>accident.traffic</c> before <c>accident</c>); a category of
/// the three kinds with no entry does not count. The board and the 三零 alert read the same one,
/// from configuration <c>ThreeZeros:Major</c>.
/// </summary>
public sealed record ThreeZeroMajor(IReadOnlyDictionary<string, int> MaxPriority)
{
    /// <summary>Every 越级上访 and every criminal case; an accident from priority 2 (较急) up — a minor scrape is not a 事故 the campaign reports.</summary>
    public static readonly ThreeZeroMajor Default = new(new Dictionary<string, int> { ["petition"] = 4, ["accident"] = 2, ["criminal"] = 4 });

    /// <summary>The least urgent priority that counts for <paramref name="category"/>; 0 when none does.</summary>
    public int Threshold(string category)
    {
        for (var code = category; ; code = code[..code.LastIndexOf('.')])
        {
            if (MaxPriority.TryGetValue(code, out var max)) return max;
            if (!code.Contains('.')) return 0;
        }
    }

    public bool IsMajor(string category, int priority) => priority <= Threshold(category);
}

/// <summary>
/// 三零 (零上访、零事故、零案件: zero petitions, zero accidents, zero cases), the standard of Hebi's
/// 平安村(社区) campaign in the seed article; PRODUCT.md's board counts, per village and period,
/// "petitions beyond the township, accidents and cases". So a zero is broken by:
/// <list type="bullet">
/// <item>零上访 — a petition beyond the township (越级上访): one filed as such
/// (<c>petition.beyond_township</c>), or any petition handled above the township (level
/// <c>district</c> or <c>city</c>): the campaign's 矛盾不上交, disputes settled where they arise; a
/// petition the township resolves does not break it;</item>
/// <item>零事故 — a major accident (<c>accident</c>);</item>
/// <item>零案件 — a major criminal case (<c>criminal</c>);</item>
/// </list>
/// "major" as <see cref="ThreeZeroMajor"/> says (by default every petition beyond the township and
/// every criminal case, accidents of priority 1–2). Rejected, cancelled and duplicate incidents do
/// not count. The period is the caller's (the board's month, quarter or year; the alert's year to
/// date); a status change is two assessments compared — the same period as of the last run and as
/// of now (a village losing its standing mid-period), or one period and the next. The board counts
/// in SQL (Dispatch.Server/ThreeZeros/ThreeZeroSql.cs), the same rule written for PostgreSQL;
/// ThreeZeroBoardTests holds the two to the same figures.
/// </summary>
public static class ThreeZero
{
    /// <summary>The detector's name in results and alerts.</summary>
    public const string Detector = "three-zero-change";

    /// <summary>The tracked category of a petition beyond the township (越级上访).</summary>
    public const string BeyondTownship = "petition.beyond_township";

    /// <summary>Which zero an incident breaks, if any, with "major" as <paramref name="major"/> says (default <see cref="ThreeZeroMajor.Default"/>).</summary>
    public static ThreeZeroKind? Breaks(VillageIncident incident, ThreeZeroMajor? major = null)
    {
        if (incident.IsDuplicate || incident.Status is "rejected" or "cancelled") return null;
        ThreeZeroKind? kind = incident.CategoryCode.Split('.')[0] switch
        {
            "petition" when incident.CategoryCode == BeyondTownship || incident.Level is "district" or "city" => ThreeZeroKind.Petitions,
            "accident" => ThreeZeroKind.Accidents,
            "criminal" => ThreeZeroKind.Cases,
            _ => null,
        };
        return kind is not null && (major ?? ThreeZeroMajor.Default).IsMajor(incident.CategoryCode, incident.Priority) ? kind : null;
    }

    /// <summary>The village's standing over days <paramref name="from"/> … <paramref name="to"/>;
    /// incidents outside the period are ignored.</summary>
    public static ThreeZeroStatus Assess(string village, IEnumerable<VillageIncident> incidents, DateOnly from, DateOnly to, ThreeZeroMajor? major = null)
    {
        if (to < from) throw new ArgumentException($"The period ends ({to}) before it starts ({from}).", nameof(to));
        var breaking = incidents.Where(i => i.Day >= from && i.Day <= to)
            .Select(i => (Incident: i, Kind: Breaks(i, major))).Where(x => x.Kind is not null)
            .OrderBy(x => x.Incident.At).ThenBy(x => x.Incident.Id).ToList();
        int Count(ThreeZeroKind kind) => breaking.Count(x => x.Kind == kind);
        return new ThreeZeroStatus(village, from, to, Count(ThreeZeroKind.Petitions), Count(ThreeZeroKind.Accidents), Count(ThreeZeroKind.Cases),
            [.. breaking.Select(x => x.Incident.Id)]);
    }

    /// <summary>What changed from <paramref name="before"/> to <paramref name="after"/>; null when no zero changed.</summary>
    public static ThreeZeroChange? Compare(ThreeZeroStatus before, ThreeZeroStatus after)
    {
        if (before.Village != after.Village) throw new ArgumentException($"Comparing village {before.Village} with {after.Village}.", nameof(after));
        var lost = Enum.GetValues<ThreeZeroKind>().Where(k => before.Holds(k) && !after.Holds(k)).ToList();
        var regained = Enum.GetValues<ThreeZeroKind>().Where(k => !before.Holds(k) && after.Holds(k)).ToList();
        return lost.Count == 0 && regained.Count == 0 ? null : new ThreeZeroChange(Detector, after.Village, before, after, lost, regained);
    }
}
