using Dispatch.Server.Regions;

namespace Dispatch.Server.Supervision;

/// <summary>
/// 四级综治中心: the centres of the village (community), township, district and city, each named by
/// its region's code — so a centre's level is its code's length, its superior is a prefix, and
/// "inside my area" stays a prefix test. An incident's responsible centre is the only one that acts
/// on it; a superior may pull it up (提级), a centre may escalate it to its superior (上报).
/// </summary>
public static class Centres
{
    public const string City = CurrentUser.CityCode;

    public static string LevelOf(string code) => code == City ? "city" : code.Length switch
    {
        6 => "district", 9 => "township", 12 => "village", _ => "grid",
    };

    /// <summary>The centre above, or null for the city's.</summary>
    public static string? Parent(string code) => LevelOf(code) switch
    {
        "village" => code[..9], "township" => code[..6], "district" => City, _ => null,
    };

    /// <summary>The centre at <paramref name="level"/> of the place: where a case of a category starting there is handled.</summary>
    public static string Of(GridPlace place, string level) => level switch
    {
        "village" => place.VillageCode, "township" => place.TownshipCode, "district" => place.DistrictCode, _ => City,
    };

    /// <summary>The centre responsible for what a region covers: a grid's is its village's.</summary>
    public static string ForRegion(string regionCode) => regionCode.Length > 12 ? regionCode[..12] : regionCode;

    /// <summary>Whether <paramref name="superior"/> stands strictly above <paramref name="centre"/>.</summary>
    public static bool Above(string superior, string centre) =>
        superior != centre && (superior == City || centre.StartsWith(superior, StringComparison.Ordinal));
}
