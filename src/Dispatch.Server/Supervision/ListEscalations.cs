namespace Dispatch.Server.Supervision;

public sealed record EscalationView(long Id, long IncidentId, string Cause, string FromCentre, string FromCentreName, string ToCentre,
    string ToCentreName, string Reason, string ByUser, DateTimeOffset At);

/// <summary>The ladder's record for the caller's area: every escalation, by hand or by the platform, with its cause — newest first.</summary>
public static class ListEscalations
{
    static readonly string Sql = $"""
        SELECT e.id, e.incident_id, e.cause, e.from_centre, fr.name AS from_centre_name, e.to_centre, tr.name AS to_centre_name, e.reason, e.by_user, e.at
        FROM escalation e JOIN incident i ON i.id = e.incident_id
        JOIN region fr ON fr.code = e.from_centre JOIN region tr ON tr.code = e.to_centre
        WHERE {CurrentUser.CoversSql("@region", "i.grid_code")}
          AND (@incidentId::bigint IS NULL OR e.incident_id = @incidentId) AND (@cause::text IS NULL OR e.cause = @cause)
        ORDER BY e.id DESC LIMIT 500
        """;

    static readonly string[] Causes = [Escalations.ByHand, Escalations.Overdue, Escalations.MediationFailed, Escalations.RepeatParties, "red_alert"];

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, long? incidentId, string? cause, CancellationToken ct)
    {
        if (cause is not null && !Causes.Contains(cause)) return Problems.Invalid("cause", $"cause 应为 {string.Join("、", Causes)} 之一。");
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<EscalationView>(new CommandDefinition(Sql, new { region = http.Caller().RegionCode, incidentId, cause },
            cancellationToken: ct));
        return TypedResults.Ok(rows.Select(e => e with { At = Clock.Local(e.At) }).ToList());
    }
}
