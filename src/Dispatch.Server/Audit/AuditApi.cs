using Dispatch.Server.Common;
using Dispatch.Server.Identity;
using Npgsql;

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
            await using var cmd = db.CreateCommand("""
                SELECT id, at, username, action, target, outcome, address FROM audit
                WHERE ($1::text IS NULL OR username = $1) AND ($2::timestamptz IS NULL OR at >= $2)
                ORDER BY id DESC LIMIT $3
                """);
            cmd.Parameters.Add(new() { Value = (object?)username ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            cmd.Parameters.Add(new() { Value = (object?)since?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
            cmd.Parameters.Add(new() { Value = limit ?? 100 });
            var rows = new List<AuditRow>();
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                rows.Add(new AuditRow(r.GetInt64(0), Clock.Local(r.GetFieldValue<DateTimeOffset>(1)), r.IsDBNull(2) ? null : r.GetString(2),
                    r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetInt32(5), r.IsDBNull(6) ? null : r.GetString(6)));
            return TypedResults.Ok(rows);
        }).RequireAuthorization(Roles.Can.Audit).WithTags("Audit").Produces<List<AuditRow>>();
        return app;
    }
}
