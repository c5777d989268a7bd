namespace Dispatch.Server.Conferences;

public sealed record NewItem(long? IncidentId);

/// <summary>Puts a case of the centre's area on the agenda by hand (once; a conference already held takes no more).</summary>
public static class AddItem
{
    static readonly string Sql = $"""
        INSERT INTO conference_item (conference_id, incident_id, added_by)
        SELECT c.id, i.id, @by FROM conference c, incident i
        WHERE c.id = @id AND c.centre_code = @region AND c.status = 'planned'
          AND i.id = @incidentId AND ({CurrentUser.CoversSql("@region", "i.grid_code")} OR i.centre_code = @region)
        ON CONFLICT DO NOTHING
        """;

    public static async Task<IResult> Handle(long id, HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<NewItem>(http, ct);
        if (malformed is not null) return malformed;
        if (body?.IncidentId is not { } incidentId) return Problems.Invalid("incidentId", "请给出要上会的事件编号 incidentId。");

        await using var conn = await db.OpenConnectionAsync(ct);
        if (await GetConference.LoadAsync(conn, null, id, caller, ct) is not { } conference)
            return Problems.NotFound($"没有编号为 {id} 的会议，或它不在您的辖区内。");
        if (conference.CentreCode != caller.RegionCode) return Problems.Forbidden($"只有{conference.CentreName}综治中心可以安排本会议的议题。");
        if (conference.Status != "planned") return Problems.Conflict("会议已召开，不能再增加议题。");
        if (conference.Items.All(i => i.IncidentId != incidentId) &&
            await conn.ExecuteAsync(new CommandDefinition(Sql, new { id, region = caller.RegionCode, incidentId, by = caller.Username }, cancellationToken: ct)) == 0)
            return Problems.Invalid("incidentId", $"事件 #{incidentId} 不存在或不在本中心辖区内。");
        return TypedResults.Ok(await GetConference.LoadAsync(conn, null, id, caller, ct));
    }
}
