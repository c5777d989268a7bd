namespace Dispatch.Server.SupervisionOrders;

/// <param name="Late">Done after <see cref="DueBy"/>, or still not done past it.</param>
public sealed record SupervisionOrderView(long Id, long IncidentId, string CategoryName, string Description, string IncidentStatus,
    string CentreCode, string CentreName, string OrderedBy, DateTimeOffset OrderedAt, DateTimeOffset DueBy, string Note, string Status,
    string? AcknowledgedBy, DateTimeOffset? AcknowledgedAt, DateTimeOffset? DoneAt, bool Late);

/// <summary>The 督办 of the caller's area: open ones first, the nearest date first; <c>incidentId</c>, <c>status</c> and <c>late</c> filter.</summary>
public static class ListOrders
{
    internal static readonly string Select = $"""
        SELECT o.id, o.incident_id, c.name AS category_name, left(i.description, 200) AS description, i.status AS incident_status,
               i.centre_code, r.name AS centre_name, o.ordered_by, o.ordered_at, o.due_by, o.note, o.status, o.acknowledged_by,
               o.acknowledged_at, o.done_at, coalesce(o.done_at, @now) > o.due_by AS late
        FROM supervision_order o JOIN incident i ON i.id = o.incident_id JOIN category c ON c.code = i.category_code
        JOIN region r ON r.code = i.centre_code
        """;

    static readonly string Sql = $"""
        {Select}
        WHERE {CurrentUser.CoversSql("@region", "i.grid_code")}
          AND (@incidentId::bigint IS NULL OR o.incident_id = @incidentId)
          AND (@status::text IS NULL OR o.status = @status)
          AND (@late::boolean IS NULL OR (coalesce(o.done_at, @now) > o.due_by) = @late)
        ORDER BY o.status = 'done', o.due_by LIMIT 500
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, TimeProvider clock, long? incidentId, string? status, bool? late,
        CancellationToken ct)
    {
        if (status is not (null or "open" or "acknowledged" or "done")) return Problems.Invalid("status", "status 应为 open、acknowledged 或 done。");
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<SupervisionOrderView>(new CommandDefinition(Sql, new
        {
            region = http.Caller().RegionCode, incidentId, status, late, now = clock.GetUtcNow(),
        }, cancellationToken: ct));
        return TypedResults.Ok(rows.Select(Local).ToList());
    }

    internal static SupervisionOrderView Local(SupervisionOrderView o) => o with
    {
        OrderedAt = Clock.Local(o.OrderedAt), DueBy = Clock.Local(o.DueBy), AcknowledgedAt = Clock.Local(o.AcknowledgedAt), DoneAt = Clock.Local(o.DoneAt),
    };
}
