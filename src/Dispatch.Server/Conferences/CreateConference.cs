using Dispatch.Server.Supervision;

namespace Dispatch.Server.Conferences;

public sealed record NewConference(string? Title, DateTimeOffset? ScheduledAt, string[]? Attendees, long[]? IncidentIds);

/// <summary>
/// A centre calls its conference: the agenda starts with every case escalated to it and not yet on
/// another conference's open agenda, then the cases named by hand (its own, or its area's).
/// </summary>
public static class CreateConference
{
    const string Insert = """
        INSERT INTO conference (centre_code, title, scheduled_at, attendees, created_by)
        VALUES (@centre, @title, @at, @attendees, @by) RETURNING id
        """;

    static readonly string Agenda = $"""
        INSERT INTO conference_item (conference_id, incident_id, added_by)
        SELECT @id, i.id, @by FROM incident i
        WHERE (i.centre_code = @centre AND i.status = 'escalated'
               AND NOT EXISTS (SELECT 1 FROM conference_item o JOIN conference oc ON oc.id = o.conference_id
                               WHERE o.incident_id = i.id AND o.decision IS NULL AND oc.status = 'planned'))
           OR (i.id = ANY (@named) AND {CurrentUser.CoversSql("@centre", "i.grid_code")})
        ORDER BY i.id
        ON CONFLICT DO NOTHING
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<NewConference>(http, ct);
        if (malformed is not null) return malformed;
        body ??= new NewConference(null, null, null, null);
        var errors = new Dictionary<string, string[]>();
        if (body.Title is { Length: > 100 }) errors["title"] = ["会议名称不能超过 100 字。"];
        if (body.Attendees is { Length: > 50 } || body.Attendees?.Any(a => string.IsNullOrWhiteSpace(a) || a.Length > 50) == true)
            errors["attendees"] = ["参会人员最多 50 位，每位不超过 50 字。"];
        if (body.IncidentIds is { Length: > 200 }) errors["incidentIds"] = ["一次会议最多 200 个案件。"];
        var now = clock.GetUtcNow();
        if (body.ScheduledAt is { } at && (at < now.AddDays(-30) || at > now.AddYears(1))) errors["scheduledAt"] = ["会议时间应在前 30 天到一年之内。"];
        if (errors.Count > 0) return Problems.Invalid(errors);

        await using var conn = await db.OpenConnectionAsync(ct);
        var name = await conn.ExecuteScalarAsync<string>(new CommandDefinition("SELECT name FROM region WHERE code = @code",
            new { code = caller.RegionCode }, cancellationToken: ct));
        if (name is null) return Problems.Forbidden("只有综治中心的账号可以召集会议。");
        var when = body.ScheduledAt ?? now;
        var title = string.IsNullOrWhiteSpace(body.Title)
            ? $"{name}{ConferencesApi.KindName(Centres.LevelOf(caller.RegionCode))}（{Clock.Local(when):yyyy-MM-dd}）"
            : body.Title.Trim();

        if (body.IncidentIds is { Length: > 0 } named)
        {
            var found = (await conn.QueryAsync<long>(new CommandDefinition(
                $"SELECT i.id FROM incident i WHERE i.id = ANY (@named) AND {CurrentUser.CoversSql("@centre", "i.grid_code")}",
                new { named, centre = caller.RegionCode }, cancellationToken: ct))).ToHashSet();
            if (named.Where(n => !found.Contains(n)).ToList() is { Count: > 0 } unknown)
                return Problems.Invalid("incidentIds", $"事件 {string.Join("、", unknown.Select(u => $"#{u}"))} 不存在或不在本中心辖区内。");
        }

        await using var tx = await conn.BeginTransactionAsync(ct);
        var id = await conn.ExecuteScalarAsync<long>(new CommandDefinition(Insert, new
        {
            centre = caller.RegionCode, title, at = when.ToUniversalTime(), attendees = body.Attendees?.Select(a => a.Trim()).ToArray() ?? [],
            by = caller.Username,
        }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(Agenda, new
        {
            id, centre = caller.RegionCode, by = caller.Username, named = body.IncidentIds ?? [],
        }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/conferences/{id}", await GetConference.LoadAsync(conn, null, id, caller, ct));
    }
}
