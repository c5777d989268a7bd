namespace Dispatch.Server.Audit;

public sealed record AuditRow(long Id, DateTimeOffset At, string? Username, string Action, string? Target, int Outcome, string? Address);

/// <summary>The audit trail for auditors and admins, newest first.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", async (NpgsqlDataSource db, string? username, DateTimeOffset? since, int? limit, CancellationToken ct) =>
        {
            if (limit is < 1 or > 1000) return Problems.Invalid("limit", "limit 应在 1 到 1000 之间。");
            await using var conn = await db.OpenConnectionAsync(ct);
            var rows = await conn.QueryAsync<AuditRow>(new CommandDefinition("""
                SELECT id, at, username, action, target, outcome, address FROM audit
                WHERE (@username::text IS NULL OR username = @username) AND (@since::timestamptz IS NULL OR at >= @since)
                ORDER BY id DESC LIMIT @limit
                """, new { username, since = since?.ToUniversalTime(), limit = limit ?? 100 }, cancellationToken: ct));
            return TypedResults.Ok(rows.Select(r => r with { At = Clock.Local(r.At) }).ToList());
        }).RequireAuthorization(Roles.Can.Audit).WithTags("Audit").Produces<List<AuditRow>>();
        return app;
    }
}
