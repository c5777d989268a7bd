namespace Dispatch.Server.Alerts;

/// <param name="Lane">alarm — a statistical signal; notice — a rule that fired by definition (三零 change, an 一评 project carried
/// out without a passed assessment): listed and handled alike, but it does not flash the wall.</param>
/// <param name="Spot">Where the signal is hottest; a task made from the alert goes there.</param>
/// <param name="SnoozedUntil">While in the future, the alert is silent on the wall (its own snooze or its region's).</param>
/// <param name="Disposition">Said on closing: true, false or unsure.</param>
/// <param name="TaskDoneAt">When the task made from the alert ended; <c>TaskOutcome</c> says how (closed, cancelled, rejected).</param>
/// <param name="Evidence">A developing event's findings, strongest first (<see cref="DevelopingEvents"/>); null for an alert of one signal.</param>
public sealed record AlertView(long Id, string Detector, string Lane, string Level, string LevelName, string Status, string RegionCode,
    IReadOnlyList<string> GridCodes, string Title, string Summary, double? Observed, double? Expected, double? Score, double? PValue,
    DateOnly WindowFrom, DateOnly WindowTo, DateTimeOffset RaisedAt, DateTimeOffset UpdatedAt, string? HandledBy, string? HandledNote,
    long? TaskIncidentId, DateTimeOffset? ClosedAt, int Version, Spot? Spot, DateTimeOffset? SnoozedUntil, string? Disposition,
    DateTimeOffset? TaskDoneAt, string? TaskOutcome, IReadOnlyList<Finding>? Evidence)
{
    public string ETag => $"\"{Version}\"";
}

public sealed record AlertPage(IReadOnlyList<AlertView> Items, long Total, int Page, int PageSize);

/// <summary>
/// Alerts of the caller's region (an alert belongs to the smallest region holding its grids; a
/// user sees those inside their own), newest first; and one alert. Field accounts see none.
/// </summary>
public static class GetAlerts
{
    internal const string Columns = """
        id, detector, lane, level, status, region_code, grid_codes, title, summary, observed, expected, score, p_value,
        window_from, window_to, raised_at, updated_at, handled_by, task_incident_id, closed_at, version, handled_note,
        ST_X(spot) AS spot_lon, ST_Y(spot) AS spot_lat, snoozed_until, disposition, task_done_at, task_outcome, evidence::text AS evidence
        """;

    public static string VisibleSql(string region = "@region") => CurrentUser.CoversSql(region, "region_code");

    public static readonly string[] Lanes = ["alarm", "notice"];

    public static async Task<IResult> List(HttpContext http, NpgsqlDataSource db, string? status, string? lane, string? regionCode, int? page, int? pageSize, CancellationToken ct)
    {
        var caller = http.Caller();
        if (caller.Is(Roles.Field)) return Problems.Forbidden("外勤账号不查看预警。");
        if (status is not null && !AlertLifecycle.Statuses.Contains(status))
            return Problems.Invalid("status", $"status 应为 {string.Join("、", AlertLifecycle.Statuses)} 之一。");
        if (lane is not null && !Lanes.Contains(lane)) return Problems.Invalid("lane", "lane 应为 alarm（预警）或 notice（通知）。");
        if (regionCode is not null && !System.Text.RegularExpressions.Regex.IsMatch(regionCode, "^[0-9]{6,15}$"))
            return Problems.Invalid("regionCode", "regionCode 应为 6 到 15 位区划代码。");
        if (page is < 1 or > Incidents.ListIncidents.MaxPage) return Problems.Invalid("page", $"page 应在 1 到 {Incidents.ListIncidents.MaxPage} 之间。");
        var (p, size) = (page ?? 1, Math.Clamp(pageSize ?? 50, 1, 200));

        var where = $"{VisibleSql("@region")} AND (@status::text IS NULL OR status = @status) AND (@lane::text IS NULL OR lane = @lane) AND (@regionCode::text IS NULL OR starts_with(region_code, @regionCode))";
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var results = await conn.QueryMultipleAsync(new CommandDefinition($"""
            SELECT {Columns} FROM alert WHERE {where} ORDER BY raised_at DESC, id DESC LIMIT @size OFFSET @offset;
            SELECT count(*) FROM alert WHERE {where}
            """, new { region = caller.RegionCode, status, lane, regionCode, size, offset = (long)(p - 1) * size }, cancellationToken: ct));
        var items = (await results.ReadAsync<Row>()).Select(r => r.ToView()).ToList();
        return TypedResults.Ok(new AlertPage(items, await results.ReadSingleAsync<long>(), p, size));
    }

    public static async Task<IResult> Get(long id, HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        var caller = http.Caller();
        if (caller.Is(Roles.Field)) return Problems.Forbidden("外勤账号不查看预警。");
        var alert = await LoadAsync(db, id, caller, ct);
        if (alert is null) return Problems.NotFound($"没有编号为 {id} 的预警，或它不在您的辖区内。");
        http.Response.Headers.ETag = alert.ETag;
        return TypedResults.Ok(alert);
    }

    public static async Task<AlertView?> LoadAsync(NpgsqlDataSource db, long id, CurrentUser caller, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM alert WHERE id = @id AND {VisibleSql("@region")}", new { id, region = caller.RegionCode }, cancellationToken: ct));
        return row?.ToView();
    }

    /// <summary>An alert row, column for column of <see cref="Columns"/>.</summary>
    internal sealed record Row(long Id, string Detector, string Lane, string Level, string Status, string RegionCode, string[] GridCodes, string Title,
        string Summary, double? Observed, double? Expected, double? Score, double? PValue, DateOnly WindowFrom, DateOnly WindowTo,
        DateTimeOffset RaisedAt, DateTimeOffset UpdatedAt, string? HandledBy, long? TaskIncidentId, DateTimeOffset? ClosedAt, int Version,
        string? HandledNote, double? SpotLon, double? SpotLat, DateTimeOffset? SnoozedUntil, string? Disposition, DateTimeOffset? TaskDoneAt,
        string? TaskOutcome, string? Evidence)
    {
        static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

        public AlertView ToView() => new(Id, Detector, Lane, Level, AlertLifecycle.LevelName(Level), Status, RegionCode, GridCodes, Title, Summary,
            Observed, Expected, Score, PValue, WindowFrom, WindowTo, Clock.Local(RaisedAt), Clock.Local(UpdatedAt), HandledBy, HandledNote,
            TaskIncidentId, Clock.Local(ClosedAt), Version, SpotLon is { } lon && SpotLat is { } lat ? new Spot(lon, lat) : null,
            Clock.Local(SnoozedUntil), Disposition, Clock.Local(TaskDoneAt), TaskOutcome,
            Evidence is null ? null : System.Text.Json.JsonSerializer.Deserialize<List<Finding>>(Evidence, Web));
    }
}
