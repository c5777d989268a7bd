namespace Dispatch.Server.RiskAssessments;

/// <param name="Flagged">Carried out without a passed assessment (<see cref="RiskAssessment.Flagged"/>).</param>
/// <param name="AlertId">The project's latest alert, open or closed; null when it never raised one.</param>
public sealed record RiskAssessmentView(long Id, string KindCode, string KindName, string Title, string Description, string RegionCode,
    string RegionName, double? Lon, double? Lat, string ResponsibleUnit, string? RiskLevel, string Result, string Status, bool Flagged,
    long? AlertId, DateTimeOffset? AssessedAt, string? AssessedBy, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version)
{
    public string ETag => $"\"{Version}\"";
}

public sealed record RiskAssessmentPage(IReadOnlyList<RiskAssessmentView> Items, long Total, int Page, int PageSize);

/// <summary>
/// The register of the caller's area (a project belongs to its region; a user sees those inside their
/// own), flagged ones first, then the latest changed; and one entry. Field phones and departments
/// read none, as they read no assessment figures.
/// </summary>
public static class ListRiskAssessments
{
    sealed record Row(long Id, string KindCode, string Title, string Description, string RegionCode, string? RegionName, double? Lon, double? Lat,
        string ResponsibleUnit, string? RiskLevel, string Result, string Status, long? AlertId, DateTimeOffset? AssessedAt, string? AssessedBy,
        string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version)
    {
        public RiskAssessmentView ToView() => new(Id, KindCode, RiskKinds.Find(KindCode)?.Name ?? KindCode, Title, Description, RegionCode,
            RegionName ?? RegionCode, Lon, Lat, ResponsibleUnit, RiskLevel, Result, Status, RiskAssessment.Flagged(Status, Result), AlertId,
            Clock.Local(AssessedAt), AssessedBy, CreatedBy, Clock.Local(CreatedAt), Clock.Local(UpdatedAt), Version);
    }

    const string Select = """
        SELECT r.id, r.kind_code, r.title, r.description, r.region_code, g.name AS region_name, ST_X(r.position) AS lon, ST_Y(r.position) AS lat,
               r.responsible_unit, r.risk_level, r.result, r.status,
               (SELECT a.id FROM alert a WHERE a.risk_assessment_id = r.id ORDER BY a.id DESC LIMIT 1) AS alert_id,
               r.assessed_at, r.assessed_by, r.created_by, r.created_at, r.updated_at, r.version
        FROM risk_assessment r LEFT JOIN region g ON g.code = r.region_code
        """;

    static readonly string Visible = CurrentUser.CoversSql("@region", "r.region_code");

    static readonly string Where = $"""
        {Visible}
          AND (@kind::text IS NULL OR r.kind_code = @kind) AND (@status::text IS NULL OR r.status = @status)
          AND (@level::text IS NULL OR r.risk_level = @level) AND (@result::text IS NULL OR r.result = @result)
          AND (@regionCode::text IS NULL OR starts_with(r.region_code, @regionCode))
          AND (@flagged::boolean IS NULL OR {RiskAssessment.FlaggedSql} = @flagged)
        """;

    public static async Task<IResult> List(HttpContext http, NpgsqlDataSource db, string? kind, string? status, string? level, string? result,
        string? regionCode, bool? flagged, int? page, int? pageSize, CancellationToken ct)
    {
        var caller = http.Caller();
        if (Refused(caller) is { } refused) return refused;
        var errors = new Dictionary<string, string[]>();
        if (kind is not null && RiskKinds.Find(kind) is null) errors["kind"] = ["kind 应为 /api/risk-assessments/kinds 中的一种。"];
        if (status is not null && !RiskAssessment.Statuses.Contains(status)) errors["status"] = [$"status 应为 {string.Join("、", RiskAssessment.Statuses)} 之一。"];
        if (level is not null && !RiskAssessment.Levels.Contains(level)) errors["level"] = ["level 应为 high、medium 或 low。"];
        if (result is not null && !RiskAssessment.Results.Contains(result)) errors["result"] = [$"result 应为 {string.Join("、", RiskAssessment.Results)} 之一。"];
        if (regionCode is not null && !System.Text.RegularExpressions.Regex.IsMatch(regionCode, "^[0-9]{6,12}$"))
            errors["regionCode"] = ["regionCode 应为 6 到 12 位区划代码。"];
        if (page is < 1 or > Incidents.ListIncidents.MaxPage) errors["page"] = [$"page 应在 1 到 {Incidents.ListIncidents.MaxPage} 之间。"];
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (regionCode is not null && !caller.Covers(regionCode)) return Problems.NotFound($"区域 {regionCode} 不在您的辖区内。");
        var (p, size) = (page ?? 1, Math.Clamp(pageSize ?? 50, 1, 200));

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var rows = await conn.QueryMultipleAsync(new CommandDefinition($"""
            {Select} WHERE {Where} ORDER BY {RiskAssessment.FlaggedSql} DESC, r.updated_at DESC, r.id DESC LIMIT @size OFFSET @offset;
            SELECT count(*) FROM risk_assessment r WHERE {Where}
            """, new
        {
            region = caller.RegionCode, kind, status, level, result, regionCode, flagged, size, offset = (long)(p - 1) * size,
            carriedOut = RiskAssessment.CarriedOut, notPassed = RiskAssessment.NotPassed,
        }, cancellationToken: ct));
        var items = (await rows.ReadAsync<Row>()).Select(r => r.ToView()).ToList();
        return TypedResults.Ok(new RiskAssessmentPage(items, await rows.ReadSingleAsync<long>(), p, size));
    }

    public static async Task<IResult> Get(long id, HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        var caller = http.Caller();
        if (Refused(caller) is { } refused) return refused;
        await using var conn = await db.OpenConnectionAsync(ct);
        if (await LoadAsync(conn, null, id, caller, ct) is not { } view) return NotFound(id);
        http.Response.Headers.ETag = view.ETag;
        return TypedResults.Ok(view);
    }

    public static IResult Kinds() => TypedResults.Ok(RiskKinds.All);

    internal static async Task<RiskAssessmentView?> LoadAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, long id, CurrentUser caller, CancellationToken ct) =>
        (await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"{Select} WHERE r.id = @id AND {Visible}",
            new { id, region = caller.RegionCode }, tx, cancellationToken: ct)))?.ToView();

    internal static IResult? Refused(CurrentUser caller) =>
        caller.Is(Roles.Field) || caller.Is(Roles.Department) ? Problems.Forbidden("一评台账供综治中心、督导和大屏查看。") : null;

    internal static IResult NotFound(long id) => Problems.NotFound($"没有编号为 {id} 的评估项目，或它不在您的辖区内。");
}
