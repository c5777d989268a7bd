namespace Dispatch.Server.Kpis;

/// <summary>
/// The region a KPI read is about: the caller's own, or one inside it (<c>regionCode</c>); as the
/// grid-code prefix the figures filter on. Field phones and departments read no assessment figures.
/// </summary>
sealed record Area(string Code, string Prefix)
{
    public static (Area? Area, IResult? Problem) Of(CurrentUser caller, string? regionCode)
    {
        if (caller.Is(Roles.Field) || caller.Is(Roles.Department)) return (null, Problems.Forbidden("考核指标供综治中心、督导和大屏查看。"));
        if (regionCode is not null && !System.Text.RegularExpressions.Regex.IsMatch(regionCode, "^[0-9]{6,12}$"))
            return (null, Problems.Invalid("regionCode", "regionCode 应为 6 到 12 位区划代码（区县、乡镇或村社区）。"));
        var code = regionCode ?? caller.RegionCode;
        if (code != caller.RegionCode && !caller.Covers(code)) return (null, Problems.Forbidden("该区域不在您的辖区内。"));
        return (new Area(code, code == CurrentUser.CityCode ? "" : code), null);
    }

    /// <summary>The length of a child's code (district 6, township 9, village 12, grid 15).</summary>
    public int ChildLength => Code == CurrentUser.CityCode ? 6 : Code.Length + 3;
}
