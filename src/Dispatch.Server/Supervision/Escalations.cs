namespace Dispatch.Server.Supervision;

/// <summary>
/// The ladder's record (一评四会): every escalation with its cause, from which centre to which and
/// why. The platform escalates a case once per cause and level — the unique index on
/// (incident, cause, from centre) makes a second try a no-op — while people may escalate as often as
/// a case comes back to them.
/// </summary>
public static class Escalations
{
    public const string ByHand = "by_hand";
    /// <summary>Past the deadline of its stage at its centre (<see cref="EscalateOverdue"/>).</summary>
    public const string Overdue = "overdue";
    /// <summary>A new case between the same parties as an earlier one (<see cref="Incidents.Parties"/>).</summary>
    public const string RepeatParties = "repeat_parties";
    /// <summary>Mediation on the scene reached no agreement (<see cref="Mediation.RecordMediation"/>).</summary>
    public const string MediationFailed = "mediation_failed";

    /// <summary>Records the escalation; false when the platform already escalated this case for this cause from this centre.</summary>
    public static async Task<bool> RecordAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long incidentId, string cause, string from, string to,
        string reason, string by, CancellationToken ct) =>
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO escalation (incident_id, cause, from_centre, to_centre, reason, by_user)
            VALUES (@incidentId, @cause, @from, @to, @reason, @by)
            ON CONFLICT (incident_id, cause, from_centre) WHERE cause <> 'by_hand' DO NOTHING
            """, new { incidentId, cause, from, to, reason = reason.Trim(), by }, tx, cancellationToken: ct)) == 1;
}
