using Dispatch.Server.Kpis;

namespace Dispatch.Server.Visits;

/// <summary>
/// The visits of the caller's area, the latest first: a field worker's own (the phone's 走访记录),
/// a centre's or supervisor's every visit in their region. Filters: a region or grid inside the area,
/// a staff code, a period of Beijing days (this month so far when omitted, as for KPIs).
/// </summary>
public static class ListVisits
{
    static readonly string Sql = $"""
        SELECT {VisitsApi.Columns}, count(*) OVER () AS total
        FROM visit v JOIN staff s ON s.id = v.staff_id
        WHERE (CASE WHEN @staff::bigint IS NOT NULL THEN v.staff_id = @staff ELSE {CurrentUser.CoversSql("@region", "v.grid_code")} END)
          AND (@regionCode::text IS NULL OR starts_with(v.grid_code, @regionCode))
          AND (@staffCode::text IS NULL OR s.code = @staffCode)
          AND v.visited_at >= @start AND v.visited_at < @end
        ORDER BY v.visited_at DESC, v.id DESC
        LIMIT @limit OFFSET @offset
        """;

    sealed record Row(long Id, string GridCode, string StaffCode, string Kind, string PlaceKey, double Lon, double Lat, string? Notes,
        DateTimeOffset VisitedAt, DateTimeOffset CreatedAt, string Problems, long Total)
    {
        public VisitView ToView() => new VisitRow(Id, GridCode, StaffCode, Kind, PlaceKey, Lon, Lat, Notes, VisitedAt, CreatedAt, Problems).ToView();
    }

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, TimeProvider clock, string? regionCode, string? staffCode,
        string? from, string? to, int? page, int? pageSize, CancellationToken ct)
    {
        var caller = http.Caller();
        if (caller.Is(Roles.Department)) return Problems.Forbidden("走访记录供网格员、综治中心和督导查看。");
        var errors = new Dictionary<string, string[]>();
        if (regionCode is not null && !System.Text.RegularExpressions.Regex.IsMatch(regionCode, "^[0-9]{6,15}$"))
            errors["regionCode"] = ["regionCode 应为 6 到 15 位区划或网格代码。"];
        if (staffCode is { Length: > 64 }) errors["staffCode"] = ["staffCode 不能超过 64 个字符。"];
        if (page is < 1 or > Incidents.ListIncidents.MaxPage) errors["page"] = [$"page 应在 1 到 {Incidents.ListIncidents.MaxPage} 之间。"];
        if (pageSize is < 1 or > 500) errors["pageSize"] = ["pageSize 应在 1 到 500 之间。"];
        var (period, bad) = Period.Parse(from, to, clock.GetUtcNow());
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (period is null) return bad!;
        if (regionCode is not null && !caller.Covers(regionCode)) return Problems.NotFound($"区域 {regionCode} 不在您的辖区内。");
        var (p, size) = (page ?? 1, pageSize ?? 50);

        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<Row>(new CommandDefinition(Sql, new
        {
            staff = caller.StaffId, region = caller.RegionCode, regionCode = regionCode == CurrentUser.CityCode ? null : regionCode, staffCode,
            start = period.Start, end = period.End, limit = size, offset = (long)(p - 1) * size,
        }, cancellationToken: ct))).ToList();
        return TypedResults.Ok(new VisitPage([.. rows.Select(r => r.ToView())], rows.Count > 0 ? rows[0].Total : 0, p, size));
    }
}
