namespace Dispatch.Geography;

/// <summary>What a village-level division is, judged by its name (as the statistics bureau names them).</summary>
public enum VillageKind
{
    /// <summary>社区居民委员会 / 居民委员会: an urban residents' community, small and dense.</summary>
    Community,
    /// <summary>村民委员会 / 村委会: a rural village, large.</summary>
    Village,
    /// <summary>生活区: a state farm's living quarter, laid out like a rural village.</summary>
    LivingQuarter,
}

/// <summary>Village kinds, short names and grid names.</summary>
public static class Naming
{
    public static VillageKind KindOf(string villageName) =>
        villageName.EndsWith("居民委员会", StringComparison.Ordinal) ? VillageKind.Community
        : villageName.EndsWith("生活区", StringComparison.Ordinal) ? VillageKind.LivingQuarter
        : VillageKind.Village;

    /// <summary>
    /// The name people use: "XX社区居民委员会" → "XX社区", "XX村民委员会" / "XX村委会" → "XX村" (and "XX村村民委员会" → "XX村"). A bare
    /// "XX居民委员会" becomes "XX社区", since a residents' committee is what a 社区 is.
    /// </summary>
    public static string ShortName(string villageName)
    {
        if (Strip(villageName, "社区居民委员会") is { } community) return community + "社区";
        if (Strip(villageName, "居民委员会") is { } residents) return residents + "社区";
        // "西石林村村民委员会" is the committee of 西石林村: the 村 is already in the name.
        if ((Strip(villageName, "村民委员会") ?? Strip(villageName, "村委会")) is { } village)
            return village.EndsWith('村') ? village : village + "村";
        return villageName;
    }

    /// <summary>"XX社区" and 3 → "XX社区第3网格".</summary>
    public static string GridName(string villageName, int sequence) => $"{ShortName(villageName)}第{sequence}网格";

    /// <summary>The 12-digit village code followed by the 1-based sequence in 3 digits.</summary>
    public static string GridCode(string villageCode, int sequence) => $"{villageCode}{sequence:D3}";

    /// <summary>街道 (a street, urban) rather than 镇 / 乡 (a town, mostly rural).</summary>
    public static bool IsStreet(Division township) => township.Name.EndsWith("街道", StringComparison.Ordinal);

    static string? Strip(string name, string suffix) =>
        name.EndsWith(suffix, StringComparison.Ordinal) ? name[..^suffix.Length] : null;
}
