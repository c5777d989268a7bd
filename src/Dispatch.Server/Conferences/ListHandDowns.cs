namespace Dispatch.Server.Conferences;

/// <summary>交办 in the caller's area: what was handed down to (or by) its centres, open ones first, the nearest deadline first.</summary>
public static class ListHandDowns
{
    static readonly string Sql = $"""
        SELECT h.id, h.incident_id, h.from_centre, h.to_centre, r.name AS to_centre_name, h.instructions, h.deadline, h.status,
               h.reported_at, h.report
        FROM hand_down h JOIN region r ON r.code = h.to_centre
        WHERE ({CurrentUser.CoversSql("@region", "h.to_centre")} OR {CurrentUser.CoversSql("@region", "h.from_centre")})
          AND (@status::text IS NULL OR h.status = @status)
        ORDER BY h.status = 'reported', h.deadline LIMIT 500
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, string? status, CancellationToken ct)
    {
        if (status is not (null or "open" or "reported")) return Problems.Invalid("status", "status 应为 open 或 reported。");
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<HandDownView>(new CommandDefinition(Sql, new { region = http.Caller().RegionCode, status }, cancellationToken: ct));
        return TypedResults.Ok(rows.Select(h => h with { Deadline = Clock.Local(h.Deadline), ReportedAt = Clock.Local(h.ReportedAt) }).ToList());
    }
}
