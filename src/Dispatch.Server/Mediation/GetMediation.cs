using Dispatch.Server.Incidents;

namespace Dispatch.Server.Mediation;

/// <summary>
/// The mediation recorded on a case, for whoever may read the case: what a phone that sent its
/// record offline and lost the answer reads to tell "mine, already there" from "someone else's".
/// </summary>
public static class GetMediation
{
    static readonly string Sql = $"""
        SELECT m.incident_id, m.outcome, m.mediated_by, m.note, m.recorded_by, m.recorded_at,
               ARRAY(SELECT v.due_on::text FROM mediation_visit v WHERE v.incident_id = m.incident_id ORDER BY v.due_on) AS visits_due
        FROM mediation m JOIN incident i ON i.id = m.incident_id
        WHERE m.incident_id = @id AND {GetIncident.VisibleSql()}
        """;

    sealed record Row(long IncidentId, string Outcome, string MediatedBy, string? Note, string RecordedBy, DateTimeOffset RecordedAt, string[] VisitsDue);

    public static async Task<IResult> Handle(long id, HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        var caller = http.Caller();
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Sql, new { id, region = caller.RegionCode, staff = caller.StaffId }, cancellationToken: ct));
        return row is null
            ? Problems.NotFound($"事件 {id} 尚无调解记录，或它不在您的辖区内。")
            : TypedResults.Ok(new MediationView(row.IncidentId, row.Outcome, row.MediatedBy, MediationApi.NameOf(row.MediatedBy), row.Note, row.RecordedBy,
                Clock.Local(row.RecordedAt), [.. row.VisitsDue.Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))]));
    }
}
