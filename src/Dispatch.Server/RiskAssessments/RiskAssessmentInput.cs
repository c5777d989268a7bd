namespace Dispatch.Server.RiskAssessments;

/// <summary>WGS84 degrees.</summary>
public sealed record RiskPosition(double? Lon, double? Lat);

/// <summary>
/// A register entry as written by POST (create) and PUT (the whole entry again, with <c>If-Match</c>).
/// </summary>
/// <param name="KindCode">One of <c>GET /api/risk-assessments/kinds</c>.</param>
/// <param name="RegionCode">The district, township or village (6, 9 or 12 digits) where it applies.</param>
/// <param name="RiskLevel"><c>high</c>, <c>medium</c>, <c>low</c>; required once <see cref="Result"/> is not <c>pending</c>.</param>
/// <param name="Result"><c>pending</c> (default), <c>passed</c>, <c>conditional</c>, <c>failed</c>.</param>
/// <param name="Status"><c>planned</c> (default), <c>assessing</c>, <c>in_progress</c>, <c>completed</c>, <c>suspended</c>.</param>
public sealed record RiskAssessmentInput(string? KindCode, string? Title, string? Description, string? RegionCode, RiskPosition? Position,
    string? ResponsibleUnit, string? RiskLevel, string? Result, string? Status)
{
    public const int MaxTitle = 200, MaxDescription = 4000, MaxUnit = 200;

    /// <summary>The body's own errors by field (what needs no database); the region's existence and area are the writer's.</summary>
    public Dictionary<string, string[]> Errors()
    {
        var errors = new Dictionary<string, string[]>();
        if (RiskKinds.Find(KindCode) is null) errors["kindCode"] = ["请给出项目类别 kindCode（见 /api/risk-assessments/kinds）。"];
        if (string.IsNullOrWhiteSpace(Title)) errors["title"] = ["请写明项目或决策名称 title。"];
        else if (Title.Trim().Length > MaxTitle) errors["title"] = [$"名称不能超过 {MaxTitle} 字。"];
        if (Description is { Length: > MaxDescription }) errors["description"] = [$"说明不能超过 {MaxDescription} 字。"];
        if (RegionCode is null || !System.Text.RegularExpressions.Regex.IsMatch(RegionCode, "^[0-9]{6}([0-9]{3}){0,2}$"))
            errors["regionCode"] = ["regionCode 应为区县、乡镇或村（社区）的 6、9 或 12 位区划代码。"];
        if (Position is not null && (Position.Lon is not { } lon || Position.Lat is not { } lat || !double.IsFinite(lon) || !double.IsFinite(lat)
                                     || lon is < -180 or > 180 || lat is < -90 or > 90))
            errors["position"] = ["position 应为 { lon, lat }（WGS84 度）。"];
        if (string.IsNullOrWhiteSpace(ResponsibleUnit)) errors["responsibleUnit"] = ["请写明责任单位 responsibleUnit。"];
        else if (ResponsibleUnit.Trim().Length > MaxUnit) errors["responsibleUnit"] = [$"责任单位不能超过 {MaxUnit} 字。"];
        if (RiskLevel is not null && !RiskAssessment.Levels.Contains(RiskLevel)) errors["riskLevel"] = ["riskLevel 应为 high、medium 或 low。"];
        if (Result is not null && !RiskAssessment.Results.Contains(Result))
            errors["result"] = ["result 应为 pending（未评估）、passed（通过）、conditional（有条件通过）或 failed（不通过）。"];
        else if (Result is not (null or "pending") && RiskLevel is null && !errors.ContainsKey("riskLevel"))
            errors["riskLevel"] = ["已有评估结果时请给出风险等级 riskLevel。"];
        if (Status is not null && !RiskAssessment.Statuses.Contains(Status))
            errors["status"] = ["status 应为 planned、assessing、in_progress、completed 或 suspended。"];
        return errors;
    }

    public string ResultOrDefault => Result ?? "pending";
    public string StatusOrDefault => Status ?? "planned";

    /// <summary>The parameters of the writers' SQL, trimmed; <c>@region</c> is the caller's, added by the writer.</summary>
    public object Parameters(CurrentUser caller, long id = 0) => new
    {
        id, kind = KindCode, title = Title!.Trim(), description = Description?.Trim() ?? "", regionCode = RegionCode, lon = Position?.Lon, lat = Position?.Lat,
        unit = ResponsibleUnit!.Trim(), level = RiskLevel, result = ResultOrDefault, status = StatusOrDefault, by = caller.Username, region = caller.RegionCode,
    };

    /// <summary>
    /// The region as the writer finds it: null when there is no such district, township or village;
    /// else whether the caller's area covers it and whether the position (if any) lies inside it.
    /// </summary>
    internal const string RegionSql = """
        SELECT (@region = '410600' OR starts_with(code, @region)) AS covered,
               (@lon::float8 IS NULL OR geom IS NULL OR ST_Covers(geom, ST_SetSRID(ST_MakePoint(@lon::float8, @lat::float8), 4326))) AS inside
        FROM region WHERE code = @regionCode AND level IN ('district', 'township', 'village')
        """;

    internal sealed record RegionCheck(bool Covered, bool Inside);

    /// <summary>The problem with the checked region, or null: unknown → 400, outside the caller's area → 404 (as everywhere), position outside it → 400.</summary>
    internal static IResult? Problem(RegionCheck? check, string code) => check switch
    {
        null => Problems.Invalid("regionCode", $"没有区划代码为 {code} 的区县、乡镇或村（社区）。"),
        { Covered: false } => Problems.NotFound($"区域 {code} 不在您的辖区内。"),
        { Inside: false } => Problems.Invalid("position", "项目位置不在所选区域内。"),
        _ => null,
    };
}
