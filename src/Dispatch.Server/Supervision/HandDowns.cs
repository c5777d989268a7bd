using Dispatch.Server.Incidents;

namespace Dispatch.Server.Supervision;

/// <summary>
/// 交办: a superior centre (usually at a case conference) hands a case down to the centre below on
/// its place, with instructions and a deadline; that centre works it and, once resolved, reports it
/// done (<c>report_done</c>) — the case then returns to the superior, which verifies and closes it.
/// </summary>
public static class HandDowns
{
    /// <summary>The centre one level below the incident's, on its place (grid codes nest: village = the first 12 digits).</summary>
    public static string? Below(IncidentState incident) => incident.Level switch
    {
        "city" => incident.GridCode[..6], "district" => incident.GridCode[..9], "township" => incident.GridCode[..12], _ => null,
    };

    public static Task OpenAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long incidentId, string from, string to, string instructions,
        DateTimeOffset deadline, long? conferenceId, string by, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            UPDATE hand_down SET status = 'reported', reported_at = now(), reported_by = @by, report = '再次交办，原交办关闭'
            WHERE incident_id = @incidentId AND status = 'open';
            INSERT INTO hand_down (incident_id, from_centre, to_centre, instructions, deadline, conference_id, created_by)
            VALUES (@incidentId, @from, @to, @instructions, @deadline, @conferenceId, @by)
            """, new { incidentId, from, to, instructions, deadline = deadline.ToUniversalTime(), conferenceId, by }, tx, cancellationToken: ct));

    /// <summary>Closes the open hand-down to <paramref name="centre"/> with the report; the centre the case returns to, or null when none is open.</summary>
    public static Task<string?> ReportAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long incidentId, string centre, string? report, string by,
        CancellationToken ct) =>
        conn.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("""
            UPDATE hand_down SET status = 'reported', reported_at = now(), reported_by = @by, report = @report
            WHERE incident_id = @incidentId AND to_centre = @centre AND status = 'open'
            RETURNING from_centre
            """, new { incidentId, centre, report = string.IsNullOrWhiteSpace(report) ? null : report.Trim(), by }, tx, cancellationToken: ct));
}
