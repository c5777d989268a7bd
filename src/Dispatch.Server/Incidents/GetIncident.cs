using Dispatch.Server.Privacy;

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
    public static string VisibleSql(string region = "@region", string staff = "@staff") =>
        $"({CurrentUser.CoversSql(region, "i.grid_code")} OR EXISTS (SELECT 1 FROM assignment a WHERE a.incident_id = i.id AND a.staff_id = {staff})" +
        $" OR EXISTS (SELECT 1 FROM department_task t WHERE t.incident_id = i.id AND 'dept-' || t.department_code = {region})" +
        $" OR i.centre_code = {region})"; // a case transferred (转办) to a centre outside its place

    /// <summary>The likely duplicate <c>i</c> points to, when the caller may see it too (a twin across a border is nobody's business here).</summary>
    public static string VisibleDuplicateSql(string region = "@region", string staff = "@staff") =>
        $"(SELECT d.id FROM incident d WHERE d.id = i.duplicate_of AND {VisibleSql(region, staff).Replace("i.", "d.")})";

    static readonly string Sql = $"""
        SELECT i.status, i.category_code, c.name AS category_name, i.priority::int, i.description,
               ST_X(i.location) AS lon, ST_Y(i.location) AS lat, i.grid_code, i.village_code, i.township_code, i.district_code,
               i.level, i.centre_code, r.name AS centre_name, i.source, i.reporter_name, i.reporter_phone, {VisibleDuplicateSql()} AS duplicate_of, i.version,
               i.created_by, i.created_at, i.updated_at, i.due_at, i.warn_at,
               EXISTS (SELECT 1 FROM supervision_order o WHERE o.incident_id = i.id AND o.status <> 'done') AS supervised,
               EXISTS (SELECT 1 FROM assignment a WHERE a.incident_id = i.id AND a.staff_id = @staff
                       AND a.status IN ('pending', 'acknowledged')) AS mine
        FROM incident i JOIN category c ON c.code = i.category_code JOIN region r ON r.code = i.centre_code
        WHERE i.id = @id AND {VisibleSql()};

        SELECT a.id, a.staff_id, s.code AS staff_code, s.name AS staff_name, a.role, a.status, a.assigned_at, a.responded_at, a.ack_warned_at
        FROM assignment a JOIN staff s ON s.id = a.staff_id WHERE a.incident_id = @id ORDER BY a.id;

        SELECT at, actor, action, from_status, to_status, note, ST_X(location) AS lon, ST_Y(location) AS lat
        FROM incident_event WHERE incident_id = @id ORDER BY id
        """;

    /// <summary>The incident, column for column of the first query.</summary>
    sealed record Head(string Status, string CategoryCode, string CategoryName, int Priority, string Description, double Lon, double Lat,
        string GridCode, string VillageCode, string TownshipCode, string DistrictCode, string Level, string CentreCode, string CentreName, string Source, byte[]? ReporterName,
        byte[]? ReporterPhone, long? DuplicateOf, int Version, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
        DateTimeOffset? DueAt, DateTimeOffset? WarnAt, bool Supervised, bool Mine);

    sealed record AssignmentRow(long Id, long StaffId, string StaffCode, string StaffName, string Role, string Status, DateTimeOffset AssignedAt,
        DateTimeOffset? RespondedAt, DateTimeOffset? AckWarnedAt);

    sealed record EventRow(DateTimeOffset At, string Actor, string Action, string? FromStatus, string ToStatus, string? Note, double? Lon, double? Lat);

    public static async Task<IncidentView?> LoadAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, long id, CurrentUser caller,
        PersonalData personal, CancellationToken ct)
    {
        await using var read = await conn.QueryMultipleAsync(new CommandDefinition(Sql,
            new { id, region = caller.RegionCode, staff = caller.StaffId }, tx, cancellationToken: ct));
        var head = await read.ReadSingleOrDefaultAsync<Head>();
        if (head is null) return null;
        var team = (await read.ReadAsync<AssignmentRow>()).Select(a => new AssignmentView(a.Id, a.StaffId, a.StaffCode, a.StaffName,
            a.Role, a.Status, Clock.Local(a.AssignedAt), Clock.Local(a.RespondedAt), Clock.Local(a.AckWarnedAt))).ToList();
        var timeline = (await read.ReadAsync<EventRow>()).Select(e => new TimelineEntry(Clock.Local(e.At), e.Actor, e.Action,
            e.FromStatus, e.ToStatus, e.Note, e.Lon, e.Lat)).ToList();

        // The reporter in full only for those who handle the case: its dispatchers and supervisors, and
        // its staff while they are on it (a member released, declined or replaced sees the mask).
        var handles = caller.Is(Roles.Dispatcher) || caller.Is(Roles.Supervisor) || head.Mine;
        var name = personal.Unprotect(head.ReporterName);
        var phone = personal.Unprotect(head.ReporterPhone);
        return new IncidentView(id, Parse(head.Status), head.CategoryCode, head.CategoryName, head.Priority, head.Description, head.Lon, head.Lat,
            head.GridCode, head.VillageCode, head.TownshipCode, head.DistrictCode, head.Level, head.CentreCode, head.CentreName, head.Source,
            handles ? name : PersonalData.MaskName(name), handles ? phone : PersonalData.MaskPhone(phone), head.DuplicateOf,
            head.Version, head.CreatedBy, Clock.Local(head.CreatedAt), Clock.Local(head.UpdatedAt), Clock.Local(head.DueAt), Clock.Local(head.WarnAt), head.Supervised, team, timeline);
    }

    public static IncidentStatus Parse(string status) =>
        JsonNames.TryParse<IncidentStatus>(status, out var s) ? s : throw new InvalidOperationException($"Unknown status {status}");
}
