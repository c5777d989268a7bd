namespace Dispatch.Server.Departments;

public sealed record DepartmentTaskView(long Id, long IncidentId, string CategoryName, string Description, string DepartmentCode, string DepartmentName,
    string FromCentre, string Instructions, DateTimeOffset Deadline, string Status, string? Reason, string? Result, string CreatedBy,
    DateTimeOffset CreatedAt, DateTimeOffset? AcceptedAt, DateTimeOffset? ReportedAt, DateTimeOffset? VerifiedAt, bool Late, int Version);

/// <summary>A department's own tasks, or those of the caller's area's cases; open ones first, the nearest deadline first.</summary>
public static class ListTasks
{
    internal static readonly string Select = """
        SELECT t.id, t.incident_id, c.name AS category_name, left(i.description, 200) AS description, t.department_code, d.name AS department_name,
               t.from_centre, t.instructions, t.deadline, t.status, t.reason, t.result, t.created_by, t.created_at, t.accepted_at, t.reported_at,
               t.verified_at, coalesce(t.reported_at, @now) > t.deadline AS late, t.version
        FROM department_task t JOIN incident i ON i.id = t.incident_id JOIN category c ON c.code = i.category_code
        JOIN department d ON d.code = t.department_code
        """;

    static readonly string Sql = $"""
        {Select}
        WHERE ('dept-' || t.department_code = @region OR t.from_centre = @region OR {CurrentUser.CoversSql("@region", "i.grid_code")})
          AND (@incidentId::bigint IS NULL OR t.incident_id = @incidentId) AND (@status::text IS NULL OR t.status = @status)
        ORDER BY t.status IN ('verified', 'returned'), t.deadline LIMIT 500
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, TimeProvider clock, long? incidentId, string? status, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<DepartmentTaskView>(new CommandDefinition(Sql, new
        {
            region = http.Caller().RegionCode, incidentId, status, now = clock.GetUtcNow(),
        }, cancellationToken: ct));
        return TypedResults.Ok(rows.Select(Local).ToList());
    }

    internal static async Task<DepartmentTaskView> LoadAsync(NpgsqlConnection conn, long id, TimeProvider clock, CancellationToken ct) =>
        Local(await conn.QuerySingleAsync<DepartmentTaskView>(new CommandDefinition($"{Select} WHERE t.id = @id", new { id, now = clock.GetUtcNow() },
            cancellationToken: ct)));

    static DepartmentTaskView Local(DepartmentTaskView t) => t with
    {
        Deadline = Clock.Local(t.Deadline), CreatedAt = Clock.Local(t.CreatedAt), AcceptedAt = Clock.Local(t.AcceptedAt),
        ReportedAt = Clock.Local(t.ReportedAt), VerifiedAt = Clock.Local(t.VerifiedAt),
    };
}
