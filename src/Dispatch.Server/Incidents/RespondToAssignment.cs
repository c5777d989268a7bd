namespace Dispatch.Server.Incidents;

/// <summary>A member's answer to their own pending assignment: acknowledge it, or decline it and be free again.</summary>
static class RespondToAssignment
{
    /// <summary>The caller's own assignment on the incident in <paramref name="status"/>, if any.</summary>
    public static async Task<long?> OwnAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long incidentId, CurrentUser caller, string status,
        CancellationToken ct) =>
        caller.StaffId is not { } staff ? null : await conn.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM assignment WHERE incident_id = @incidentId AND staff_id = @staff AND status = @status",
            new { incidentId, staff, status }, tx, cancellationToken: ct));

    /// <summary>Answers the caller's pending assignment (<see cref="AuthoriseStep"/> has checked there is one).</summary>
    public static async Task ApplyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long incidentId, CurrentUser caller, bool acknowledge,
        CancellationToken ct)
    {
        var id = (await OwnAsync(conn, tx, incidentId, caller, "pending", ct))!.Value;
        await conn.ExecuteAsync(new CommandDefinition(acknowledge
            ? "UPDATE assignment SET status = 'acknowledged', responded_at = now() WHERE id = @id"
            : """
              UPDATE assignment SET status = 'declined', responded_at = now() WHERE id = @id;
              UPDATE staff SET status = 'available' WHERE status = 'busy' AND id = (SELECT staff_id FROM assignment WHERE id = @id)
              """, new { id }, tx, cancellationToken: ct));
    }
}
