namespace Dispatch.Server.Incidents;

public sealed record IncidentPage(IReadOnlyList<IncidentSummary> Items, long Total, int Page, int PageSize);

/// <summary>
/// The incidents the caller may see, newest first, filtered by status, category (a parent
/// category includes its subtypes), region and time, a page at a time.
/// </summary>
public static class ListIncidents
{
    /// <summary>Deep enough for any real list (a million pages of 500); beyond it the offset would overflow.</summary>
    public const int MaxPage = 1_000_000;

    static readonly string Sql = $"""
        SELECT i.id, i.status, i.category_code, c.name AS category_name, i.priority::int, i.description,
               ST_X(i.location) AS lon, ST_Y(i.location) AS lat, i.grid_code, i.village_code, i.township_code, i.district_code,
               i.level, i.centre_code, {GetIncident.VisibleDuplicateSql()} AS duplicate_of, i.version, i.created_at, i.due_at, i.warn_at,
               EXISTS (SELECT 1 FROM supervision_order o WHERE o.incident_id = i.id AND o.status <> 'done') AS supervised,
               count(*) OVER () AS total
        FROM incident i JOIN category c ON c.code = i.category_code
        WHERE {GetIncident.VisibleSql()}
          AND (@status::text IS NULL OR i.status = @status)
          AND (@categoryCode::text IS NULL OR i.category_code = @categoryCode OR c.parent_code = @categoryCode)
          AND (@regionCode::text IS NULL OR {CurrentUser.CoversSql("@regionCode", "i.grid_code")})
          AND (@since::timestamptz IS NULL OR i.created_at >= @since)
          AND (NOT @overdue OR {Supervision.Overdue.Sql()})
        ORDER BY CASE WHEN @overdue THEN i.due_at END, i.created_at DESC, i.id DESC
        LIMIT @limit OFFSET @offset
        """;

    /// <summary>A list row, column for column of <see cref="Sql"/>.</summary>
    sealed record Row(long Id, string Status, string CategoryCode, string CategoryName, int Priority, string Description, double Lon, double Lat,
        string GridCode, string VillageCode, string TownshipCode, string DistrictCode, string Level, string CentreCode, long? DuplicateOf, int Version,
        DateTimeOffset CreatedAt, DateTimeOffset? DueAt, DateTimeOffset? WarnAt, bool Supervised, long Total)
    {
        public IncidentSummary ToSummary() => new(Id, GetIncident.Parse(Status), CategoryCode, CategoryName, Priority, Description,
            Lon, Lat, GridCode, VillageCode, TownshipCode, DistrictCode, Level, CentreCode, DuplicateOf, Version, Clock.Local(CreatedAt), Clock.Local(DueAt), Clock.Local(WarnAt), Supervised);
    }

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, string? status, string? categoryCode,
        string? regionCode, DateTimeOffset? since, bool? overdue, int? page, int? pageSize, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !JsonNames.TryParse<IncidentStatus>(status, out _)) errors["status"] = ["未知的事件状态。"];
        if (page is < 1 or > MaxPage) errors["page"] = [$"page 应在 1 到 {MaxPage} 之间。"];
        if (pageSize is < 1 or > 500) errors["pageSize"] = ["pageSize 应在 1 到 500 之间。"];
        if (categoryCode is { Length: > 64 }) errors["categoryCode"] = ["categoryCode 过长。"];
        if (regionCode is not null && !System.Text.RegularExpressions.Regex.IsMatch(regionCode, "^[0-9]{6,15}$"))
            errors["regionCode"] = ["regionCode 应为 6 到 15 位区划代码。"];
        if (errors.Count > 0) return Problems.Invalid(errors);
        var (p, size) = (page ?? 1, pageSize ?? 50);

        var caller = http.Caller();
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<Row>(new CommandDefinition(Sql, new
        {
            region = caller.RegionCode, staff = caller.StaffId, status, categoryCode, regionCode,
            since = since?.ToUniversalTime(), overdue = overdue ?? false, now = clock.GetUtcNow(), limit = size, offset = (long)(p - 1) * size,
        }, cancellationToken: ct))).ToList();
        var items = rows.Select(r => r.ToSummary()).ToList();
        var total = rows.Count > 0 ? rows[0].Total : 0;
        return TypedResults.Ok(new IncidentPage(items, total, p, size));
    }
}
