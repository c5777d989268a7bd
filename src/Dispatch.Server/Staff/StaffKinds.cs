namespace Dispatch.Server.Staff;

/// <summary>The four kinds of field staff (一村一警一法律顾问一矛调队伍, and a grid worker per grid), by their wire names.</summary>
public static class StaffKinds
{
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        ["grid_worker"] = "网格员", ["police"] = "村警", ["legal_adviser"] = "法律顾问", ["mediator"] = "矛调队伍",
    };

    public static IEnumerable<string> All => Names.Keys;

    public static string NameOf(string kind) => Names.GetValueOrDefault(kind, kind);
}
