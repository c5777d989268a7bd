using Dispatch.Server.Common;
using Dispatch.Server.Identity;
using Npgsql;

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
        SELECT i.id, i.status, i.category_code, c.name, i.priority, i.description, ST_X(i.location), ST_Y(i.location),
               i.grid_code, i.village_code, i.township_code, i.district_code, i.level, {GetIncident.VisibleDuplicateSql("$1", "$2")}, i.version, i.created_at, i.due_at,
               count(*) OVER () AS total
        FROM incident i JOIN category c ON c.code = i.category_code
        WHERE {GetIncident.VisibleSql("$1", "$2")}
          AND ($3::text IS NULL OR i.status = $3)
          AND ($4::text IS NULL OR i.category_code = $4 OR c.parent_code = $4)
          AND ($5::text IS NULL OR {CurrentUser.CoversSql("$5", "i.grid_code")})
          AND ($6::timestamptz IS NULL OR i.created_at >= $6)
        ORDER BY i.created_at DESC, i.id DESC
        LIMIT $7 OFFSET $8
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, string? status, string? categoryCode,
        string? regionCode, DateTimeOffset? since, int? page, int? pageSize, CancellationToken ct)
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
        await using var cmd = db.CreateCommand(Sql);
        foreach (var v in new object?[] { caller.RegionCode, caller.StaffId, status, categoryCode, regionCode, since?.ToUniversalTime(), size, (long)(p - 1) * size })
            cmd.Parameters.Add(new NpgsqlParameter { Value = v ?? DBNull.Value });
        cmd.Parameters[1].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint;
        cmd.Parameters[5].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz;

        var items = new List<IncidentSummary>();
        long total = 0;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                items.Add(new IncidentSummary(r.GetInt64(0), GetIncident.Parse(r.GetString(1)), r.GetString(2), r.GetString(3), r.GetInt16(4),
                    r.GetString(5), r.GetDouble(6), r.GetDouble(7), r.GetString(8), r.GetString(9), r.GetString(10), r.GetString(11),
                    r.GetString(12), r.IsDBNull(13) ? null : r.GetInt64(13), r.GetInt32(14), Clock.Local(r.GetFieldValue<DateTimeOffset>(15)),
                    r.IsDBNull(16) ? null : Clock.Local(r.GetFieldValue<DateTimeOffset>(16))));
                total = r.GetInt64(17);
            }
        return TypedResults.Ok(new IncidentPage(items, total, p, size));
    }
}
