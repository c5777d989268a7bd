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
public sealed record VillageIncident(long Id, DateTimeOffset At, string CategoryCode, string Level, string Status, bool IsDuplicate = false)
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
/// 三零 (零上访、零事故、零案件: zero petitions, zero accidents, zero cases), the standard of Hebi's
/// 平安村(社区) campaign in the seed article; PRODUCT.md's board counts, per village and period,
/// "petitions beyond the township, accidents and cases". So a zero is broken by:
/// <list type="bullet">
/// <item>零上访 — a petition (<c>petition</c> or a sub-category) handled above the township
/// (level <c>district</c> or <c>city</c>): the campaign's 矛盾不上交, disputes settled where they
/// arise; a petition the township resolves does not break it;</item>
/// <item>零事故 — an accident (<c>accident</c>);</item>
/// <item>零案件 — a criminal case (<c>criminal</c>).</item>
/// </list>
/// Rejected, cancelled and duplicate incidents do not count. The period is the caller's (the board's
/// year or month to date); a status change is two assessments compared — the same period as of
/// the last run and as of now (a village losing its standing mid-period), or one period and the next.
/// </summary>
public static class ThreeZero
{
    /// <summary>The detector's name in results and alerts.</summary>
    public const string Detector = "three-zero-change";

    /// <summary>Which zero an incident breaks, if any.</summary>
    public static ThreeZeroKind? Breaks(VillageIncident incident)
    {
        if (incident.IsDuplicate || incident.Status is "rejected" or "cancelled") return null;
        return incident.CategoryCode.Split('.')[0] switch
        {
            "petition" when incident.Level is "district" or "city" => ThreeZeroKind.Petitions,
            "accident" => ThreeZeroKind.Accidents,
            "criminal" => ThreeZeroKind.Cases,
            _ => null,
        };
    }

    /// <summary>The village's standing over days <paramref name="from"/> … <paramref name="to"/>;
    /// incidents outside the period are ignored.</summary>
    public static ThreeZeroStatus Assess(string village, IEnumerable<VillageIncident> incidents, DateOnly from, DateOnly to)
    {
        if (to < from) throw new ArgumentException($"The period ends ({to}) before it starts ({from}).", nameof(to));
        var breaking = incidents.Where(i => i.Day >= from && i.Day <= to)
            .Select(i => (Incident: i, Kind: Breaks(i))).Where(x => x.Kind is not null)
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
