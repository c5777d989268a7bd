namespace Dispatch.Server.Mediation;

public sealed record VisitView(long Id, long IncidentId, string CategoryName, string Description, int AfterDays, DateOnly DueOn, string? StaffCode,
    string Status, string? Finding, string? Note, string? DoneBy, DateTimeOffset? DoneAt);

/// <summary>Return visits (回访): a field account's own, or those of the caller's area; due ones first, the earliest first.</summary>
public static class ListVisits
{
    static readonly string Sql = $"""
        SELECT v.id, v.incident_id, c.name AS category_name, left(i.description, 200) AS description, v.after_days, v.due_on, s.code AS staff_code,
               v.status, v.finding, v.note, v.done_by, v.done_at
        FROM mediation_visit v JOIN incident i ON i.id = v.incident_id JOIN category c ON c.code = i.category_code
        LEFT JOIN staff s ON s.id = v.staff_id
        WHERE (CASE WHEN @staff::bigint IS NOT NULL THEN v.staff_id = @staff ELSE {CurrentUser.CoversSql("@region", "i.grid_code")} END)
          AND (@status::text IS NULL OR v.status = @status)
        ORDER BY v.status = 'done', v.due_on, v.id LIMIT 500
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, string? status, CancellationToken ct)
    {
        if (status is not (null or "due" or "done")) return Problems.Invalid("status", "status 应为 due 或 done。");
        var caller = http.Caller();
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<VisitView>(new CommandDefinition(Sql, new { staff = caller.StaffId, region = caller.RegionCode, status },
            cancellationToken: ct));
        return TypedResults.Ok(rows.Select(v => v with { DoneAt = Clock.Local(v.DoneAt) }).ToList());
    }
}
