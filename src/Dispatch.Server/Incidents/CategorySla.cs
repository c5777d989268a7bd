namespace Dispatch.Server.Incidents;

/// <summary>A category's default priority and its first SLA clock: minutes to accept a report, in natural or working time.</summary>
sealed record CategorySla(short Priority, int AcceptMinutes, bool WorkingHours)
{
    public static async Task<CategorySla?> FindAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string code, CancellationToken ct) =>
        await conn.QuerySingleOrDefaultAsync<CategorySla>(new CommandDefinition(
            "SELECT priority, accept_minutes, working_hours FROM category WHERE code = @code", new { code }, tx, cancellationToken: ct));
}
