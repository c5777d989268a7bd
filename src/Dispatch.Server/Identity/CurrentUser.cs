using System.Security.Claims;

namespace Dispatch.Server.Identity;

/// <summary>
/// Who is asking, from the sign-in's claims: name, roles, the region their rights are bounded by,
/// and the staff member they are, if they are field staff.
/// </summary>
public sealed record CurrentUser(string Username, string DisplayName, IReadOnlyList<string> Roles, string RegionCode, long? StaffId)
{
    public const string RegionClaim = "dispatch:region";
    public const string StaffClaim = "dispatch:staff";
    public const string DisplayNameClaim = "dispatch:display-name";
    public const string CityCode = "410600";

    public bool Is(string role) => Roles.Contains(role);

    /// <summary>The level of the centre this user works for, from their region code's length (a field worker's grid is "grid").</summary>
    public string Level => RegionCode == CityCode ? "city" : RegionCode.Length switch
    {
        <= 6 => "district", <= 9 => "township", <= 12 => "village", _ => "grid",
    };

    /// <summary>
    /// Whether a place (given by its grid code) lies in this user's region: the city sees all;
    /// otherwise codes nest (district 6 digits ⊂ township 9 ⊂ village 12 ⊂ grid 15), so the
    /// region's code is a prefix of the grid's.
    /// </summary>
    public bool Covers(string gridCode) => RegionCode == CityCode || gridCode.StartsWith(RegionCode, StringComparison.Ordinal);

    /// <summary>The same rule in SQL, over a table with a <c>grid_code</c> column; binds the region as <paramref name="parameter"/>.</summary>
    public static string CoversSql(string parameter, string gridColumn = "grid_code") =>
        $"({parameter} = '{CityCode}' OR starts_with({gridColumn}, {parameter}))";

    public static CurrentUser From(ClaimsPrincipal principal) => new(
        principal.FindFirstValue(ClaimTypes.Name) ?? throw new InvalidOperationException("Not signed in."),
        principal.FindFirstValue(DisplayNameClaim) ?? "",
        principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList(),
        principal.FindFirstValue(RegionClaim) ?? throw new InvalidOperationException("No region claim."),
        long.TryParse(principal.FindFirstValue(StaffClaim), out var staff) ? staff : null);

    /// <summary>The claims a cookie or token carries: who, with what rights, and the server-side session it belongs to.</summary>
    public ClaimsPrincipal ToPrincipal(string scheme, Guid session)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, Username),
            new(DisplayNameClaim, DisplayName),
            new(RegionClaim, RegionCode),
            new(Sessions.Claim, session.ToString()),
        };
        claims.AddRange(Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        if (StaffId is { } id) claims.Add(new Claim(StaffClaim, id.ToString()));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}

public static class CurrentUserExtensions
{
    public static CurrentUser Caller(this HttpContext http) => CurrentUser.From(http.User);
}
