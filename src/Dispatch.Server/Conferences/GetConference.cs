using Dispatch.Server.Supervision;

namespace Dispatch.Server.Conferences;

public sealed record HandDownView(long Id, long IncidentId, string FromCentre, string ToCentre, string ToCentreName, string Instructions,
    DateTimeOffset Deadline, string Status, DateTimeOffset? ReportedAt, string? Report);

/// <param name="EscalatedFrom">The centre whose escalation brought the case here, and why (<see cref="EscalationReason"/>).</param>
public sealed record AgendaItem(long IncidentId, string CategoryName, string Description, string Status, string CentreCode,
    string? EscalatedFrom, string? EscalationReason, string? EscalationCause, string? Decision, string? Note, string? DecidedBy,
    DateTimeOffset? DecidedAt, HandDownView? HandDown);

public sealed record ConferenceView(long Id, string CentreCode, string CentreName, string Level, string Kind, string Title,
    DateTimeOffset ScheduledAt, string[] Attendees, string? Minutes, string Status, string CreatedBy, DateTimeOffset? HeldAt, int Version,
    IReadOnlyList<AgendaItem> Items);

/// <summary>A conference with its agenda: each case, how it came here, what was decided and what became of a hand-down.</summary>
public static class GetConference
{
    static readonly string Sql = $"""
        SELECT c.id, c.centre_code, r.name AS centre_name, c.title, c.scheduled_at, c.attendees, c.minutes, c.status, c.created_by,
               c.held_at, c.version
        FROM conference c JOIN region r ON r.code = c.centre_code
        WHERE c.id = @id AND {CurrentUser.CoversSql("@region", "c.centre_code")};

        SELECT i.id AS incident_id, cat.name AS category_name, left(i.description, 200) AS description, i.status, i.centre_code,
               e.from_centre AS escalated_from, e.reason AS escalation_reason, e.cause AS escalation_cause,
               ci.decision, ci.note, ci.decided_by, ci.decided_at,
               h.id AS hand_down_id, h.to_centre, hr.name AS to_centre_name, h.instructions, h.deadline, h.status AS hand_down_status,
               h.reported_at, h.report, h.from_centre AS hand_down_from
        FROM conference_item ci
        JOIN incident i ON i.id = ci.incident_id JOIN category cat ON cat.code = i.category_code
        LEFT JOIN LATERAL (SELECT * FROM escalation e WHERE e.incident_id = i.id AND e.to_centre = (SELECT centre_code FROM conference WHERE id = @id)
                           ORDER BY e.id DESC LIMIT 1) e ON true
        LEFT JOIN hand_down h ON h.conference_id = ci.conference_id AND h.incident_id = ci.incident_id
        LEFT JOIN region hr ON hr.code = h.to_centre
        WHERE ci.conference_id = @id
        ORDER BY ci.added_at, ci.incident_id
        """;

    sealed record Head(long Id, string CentreCode, string CentreName, string Title, DateTimeOffset ScheduledAt, string[] Attendees, string? Minutes,
        string Status, string CreatedBy, DateTimeOffset? HeldAt, int Version);

    sealed record Item(long IncidentId, string CategoryName, string Description, string Status, string CentreCode, string? EscalatedFrom,
        string? EscalationReason, string? EscalationCause, string? Decision, string? Note, string? DecidedBy, DateTimeOffset? DecidedAt,
        long? HandDownId, string? ToCentre, string? ToCentreName, string? Instructions, DateTimeOffset? Deadline, string? HandDownStatus,
        DateTimeOffset? ReportedAt, string? Report, string? HandDownFrom);

    public static async Task<IResult> Handle(long id, HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await LoadAsync(conn, null, id, http.Caller(), ct) is { } view
            ? TypedResults.Ok(view)
            : Problems.NotFound($"没有编号为 {id} 的会议，或它不在您的辖区内。");
    }

    public static async Task<ConferenceView?> LoadAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, long id, CurrentUser caller, CancellationToken ct)
    {
        await using var read = await conn.QueryMultipleAsync(new CommandDefinition(Sql, new { id, region = caller.RegionCode }, tx, cancellationToken: ct));
        if (await read.ReadSingleOrDefaultAsync<Head>() is not { } c) return null;
        var items = (await read.ReadAsync<Item>()).Select(i => new AgendaItem(i.IncidentId, i.CategoryName, i.Description, i.Status, i.CentreCode,
            i.EscalatedFrom, i.EscalationReason, i.EscalationCause, i.Decision, i.Note, i.DecidedBy, Clock.Local(i.DecidedAt),
            i.HandDownId is { } h
                ? new HandDownView(h, i.IncidentId, i.HandDownFrom!, i.ToCentre!, i.ToCentreName!, i.Instructions!, Clock.Local(i.Deadline!.Value),
                    i.HandDownStatus!, Clock.Local(i.ReportedAt), i.Report)
                : null)).ToList();
        var level = Centres.LevelOf(c.CentreCode);
        return new ConferenceView(c.Id, c.CentreCode, c.CentreName, level, ConferencesApi.KindName(level), c.Title, Clock.Local(c.ScheduledAt),
            c.Attendees, c.Minutes, c.Status, c.CreatedBy, Clock.Local(c.HeldAt), c.Version, items);
    }
}
