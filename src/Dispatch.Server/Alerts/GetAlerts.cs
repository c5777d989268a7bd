using Dispatch.Server.Common;
using Dispatch.Server.Identity;
using Npgsql;

namespace Dispatch.Server.Alerts;

public sealed record AlertView(long Id, string Detector, string Level, string LevelName, string Status, string RegionCode,
    IReadOnlyList<string> GridCodes, string Title, string Summary, double? Observed, double? Expected, double? Score, double? PValue,
    DateOnly WindowFrom, DateOnly WindowTo, DateTimeOffset RaisedAt, DateTimeOffset UpdatedAt, string? HandledBy, string? HandledNote,
    long? TaskIncidentId, DateTimeOffset? ClosedAt, int Version)
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
    const string Columns = """
        id, detector, level, status, region_code, grid_codes, title, summary, observed, expected, score, p_value,
        window_from, window_to, raised_at, updated_at, handled_by, task_incident_id, closed_at, version, handled_note
        """;

    public static string VisibleSql(string region = "$1") => CurrentUser.CoversSql(region, "region_code");

    public static async Task<IResult> List(HttpContext http, NpgsqlDataSource db, string? status, string? regionCode, int? page, int? pageSize, CancellationToken ct)
    {
        var caller = http.Caller();
        if (caller.Is(Roles.Field)) return Problems.Forbidden("外勤账号不查看预警。");
        if (status is not null && !AlertLifecycle.Statuses.Contains(status))
            return Problems.Invalid("status", $"status 应为 {string.Join("、", AlertLifecycle.Statuses)} 之一。");
        if (regionCode is not null && !System.Text.RegularExpressions.Regex.IsMatch(regionCode, "^[0-9]{6,15}$"))
            return Problems.Invalid("regionCode", "regionCode 应为 6 到 15 位区划代码。");
        if (page is < 1 or > Incidents.ListIncidents.MaxPage) return Problems.Invalid("page", $"page 应在 1 到 {Incidents.ListIncidents.MaxPage} 之间。");
        var (p, size) = (page ?? 1, Math.Clamp(pageSize ?? 50, 1, 200));

        var where = $"{VisibleSql()} AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR starts_with(region_code, $3))";
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn);
        foreach (var sql in new[] { $"SELECT {Columns} FROM alert WHERE {where} ORDER BY raised_at DESC, id DESC LIMIT $4 OFFSET $5", $"SELECT count(*) FROM alert WHERE {where}" })
            batch.BatchCommands.Add(new NpgsqlBatchCommand(sql)
            {
                Parameters =
                {
                    new() { Value = caller.RegionCode }, Text(status), Text(regionCode), new() { Value = size }, new() { Value = (long)(p - 1) * size },
                },
            });
        var items = new List<AlertView>();
        await using var r = await batch.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) items.Add(Read(r));
        await r.NextResultAsync(ct);
        await r.ReadAsync(ct);
        return TypedResults.Ok(new AlertPage(items, r.GetInt64(0), p, size));
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
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM alert WHERE id = $2 AND {VisibleSql()}");
        cmd.Parameters.Add(new() { Value = caller.RegionCode });
        cmd.Parameters.Add(new() { Value = id });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    static NpgsqlParameter Text(string? v) => new() { Value = (object?)v ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };

    static double? D(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);

    static AlertView Read(NpgsqlDataReader r)
    {
        var level = r.GetString(2);
        return new AlertView(r.GetInt64(0), r.GetString(1), level, AlertLifecycle.LevelName(level), r.GetString(3), r.GetString(4),
            r.GetFieldValue<string[]>(5), r.GetString(6), r.GetString(7), D(r, 8), D(r, 9), D(r, 10), D(r, 11),
            r.GetFieldValue<DateOnly>(12), r.GetFieldValue<DateOnly>(13), Clock.Local(r.GetFieldValue<DateTimeOffset>(14)),
            Clock.Local(r.GetFieldValue<DateTimeOffset>(15)), r.IsDBNull(16) ? null : r.GetString(16), r.IsDBNull(20) ? null : r.GetString(20),
            r.IsDBNull(17) ? null : r.GetInt64(17), r.IsDBNull(18) ? null : Clock.Local(r.GetFieldValue<DateTimeOffset>(18)), r.GetInt32(19));
    }
}
