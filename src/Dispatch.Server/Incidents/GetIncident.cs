using Dispatch.Server.Common;
using Dispatch.Server.Identity;
using Dispatch.Server.Privacy;
using Npgsql;

namespace Dispatch.Server.Incidents;

/// <summary>
/// One incident with its team and timeline, if the caller may see it: inside their region, or,
/// for field staff, in their grid or assigned to them. Anything else is "not found" (404), so
/// that nobody learns what lies outside their area.
/// </summary>
public static class GetIncident
{
    public static async Task<IResult> Handle(long id, HttpContext http, NpgsqlDataSource db, PersonalData personal, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var view = await LoadAsync(conn, null, id, http.Caller(), personal, ct);
        if (view is null) return Problems.NotFound($"没有编号为 {id} 的事件，或它不在您的辖区内。");
        http.Response.Headers.ETag = view.ETag;
        return TypedResults.Ok(view);
    }

    /// <summary>The visibility rule in SQL over incident <c>i</c>: the caller's region, or their own assignment.</summary>
    public static string VisibleSql(string region = "$2", string staff = "$3") =>
        $"({CurrentUser.CoversSql(region, "i.grid_code")} OR EXISTS (SELECT 1 FROM assignment a WHERE a.incident_id = i.id AND a.staff_id = {staff}))";

    /// <summary>The likely duplicate <c>i</c> points to, when the caller may see it too (a twin across a border is nobody's business here).</summary>
    public static string VisibleDuplicateSql(string region = "$2", string staff = "$3") =>
        $"(SELECT d.id FROM incident d WHERE d.id = i.duplicate_of AND {VisibleSql(region, staff).Replace("i.", "d.")})";

    static readonly string Sql = $"""
        SELECT i.status, i.category_code, c.name, i.priority, i.description, ST_X(i.location), ST_Y(i.location),
               i.grid_code, i.village_code, i.township_code, i.district_code, i.level, i.source,
               i.reporter_name, i.reporter_phone, {VisibleDuplicateSql()}, i.version, i.created_by, i.created_at, i.updated_at, i.due_at,
               EXISTS (SELECT 1 FROM assignment a WHERE a.incident_id = i.id AND a.staff_id = $3
                       AND a.status IN ('pending', 'acknowledged')) AS mine
        FROM incident i JOIN category c ON c.code = i.category_code
        WHERE i.id = $1 AND {VisibleSql()};

        SELECT a.id, a.staff_id, s.code, s.name, a.role, a.status, a.assigned_at, a.responded_at
        FROM assignment a JOIN staff s ON s.id = a.staff_id WHERE a.incident_id = $1 ORDER BY a.id;

        SELECT at, actor, action, from_status, to_status, note, ST_X(location), ST_Y(location)
        FROM incident_event WHERE incident_id = $1 ORDER BY id
        """;

    public static async Task<IncidentView?> LoadAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, long id, CurrentUser caller,
        PersonalData personal, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(conn, tx);
        foreach (var sql in Sql.Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            batch.BatchCommands.Add(new NpgsqlBatchCommand(sql)
                { Parameters = { new() { Value = id }, new() { Value = caller.RegionCode }, new() { Value = (object?)caller.StaffId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint } } });
        await using var r = await batch.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;

        // The reporter in full only for those who handle the case: its dispatchers and supervisors, and
        // its staff while they are on it (a member released, declined or replaced sees the mask).
        var handles = caller.Is(Roles.Dispatcher) || caller.Is(Roles.Supervisor) || r.GetBoolean(21);
        var name = personal.Unprotect(r.IsDBNull(13) ? null : r.GetFieldValue<byte[]>(13));
        var phone = personal.Unprotect(r.IsDBNull(14) ? null : r.GetFieldValue<byte[]>(14));
        var head = (
            Status: Parse(r.GetString(0)), Category: r.GetString(1), CategoryName: r.GetString(2), Priority: (int)r.GetInt16(3),
            Description: r.GetString(4), Lon: r.GetDouble(5), Lat: r.GetDouble(6), Grid: r.GetString(7), Village: r.GetString(8),
            Township: r.GetString(9), District: r.GetString(10), Level: r.GetString(11), Source: r.GetString(12),
            Name: handles ? name : PersonalData.MaskName(name), Phone: handles ? phone : PersonalData.MaskPhone(phone),
            DuplicateOf: r.IsDBNull(15) ? (long?)null : r.GetInt64(15), Version: r.GetInt32(16), CreatedBy: r.GetString(17),
            CreatedAt: r.GetFieldValue<DateTimeOffset>(18), UpdatedAt: r.GetFieldValue<DateTimeOffset>(19),
            DueAt: r.IsDBNull(20) ? (DateTimeOffset?)null : r.GetFieldValue<DateTimeOffset>(20));

        await r.NextResultAsync(ct);
        var team = new List<AssignmentView>();
        while (await r.ReadAsync(ct))
            team.Add(new AssignmentView(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                Clock.Local(r.GetFieldValue<DateTimeOffset>(6)), r.IsDBNull(7) ? null : Clock.Local(r.GetFieldValue<DateTimeOffset>(7))));

        await r.NextResultAsync(ct);
        var timeline = new List<TimelineEntry>();
        while (await r.ReadAsync(ct))
            timeline.Add(new TimelineEntry(Clock.Local(r.GetFieldValue<DateTimeOffset>(0)), r.GetString(1), r.GetString(2),
                r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5),
                r.IsDBNull(6) ? null : r.GetDouble(6), r.IsDBNull(7) ? null : r.GetDouble(7)));

        return new IncidentView(id, head.Status, head.Category, head.CategoryName, head.Priority, head.Description, head.Lon, head.Lat,
            head.Grid, head.Village, head.Township, head.District, head.Level, head.Source, head.Name, head.Phone, head.DuplicateOf,
            head.Version, head.CreatedBy, Clock.Local(head.CreatedAt), Clock.Local(head.UpdatedAt), Clock.Local(head.DueAt), team, timeline);
    }

    public static IncidentStatus Parse(string status) =>
        JsonNames.TryParse<IncidentStatus>(status, out var s) ? s : throw new InvalidOperationException($"Unknown status {status}");
}
