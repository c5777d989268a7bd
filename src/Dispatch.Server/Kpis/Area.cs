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

/// <summary>What every KPI read names: the area, the period, and the moment it is read at — or the problem with them.</summary>
sealed record KpiScope(Area Area, Period Period, DateTimeOffset Now)
{
    public static (KpiScope? Scope, IResult? Problem) Of(HttpContext http, TimeProvider clock, string? from, string? to, string? regionCode)
    {
        var now = clock.GetUtcNow();
        var (area, problem) = Area.Of(http.Caller(), regionCode);
        if (area is null) return (null, problem);
        var (period, bad) = Period.Parse(from, to, now);
        return period is null ? (null, bad) : (new KpiScope(area, period, now), null);
    }
}
