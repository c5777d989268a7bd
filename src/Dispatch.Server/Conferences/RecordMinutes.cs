namespace Dispatch.Server.Conferences;

public sealed record Minutes(string[]? Attendees, string? Text);

/// <summary>The minutes and who attended: the conference is then held (its agenda closes; decisions may still be recorded).</summary>
public static class RecordMinutes
{
    const string Sql = """
        UPDATE conference SET minutes = @text, attendees = coalesce(@attendees, attendees), status = 'held',
               held_at = coalesce(held_at, now()), version = version + 1
        WHERE id = @id AND centre_code = @region
        """;

    public static async Task<IResult> Handle(long id, HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<Minutes>(http, ct);
        if (malformed is not null) return malformed;
        if (string.IsNullOrWhiteSpace(body?.Text)) return Problems.Invalid("text", "请填写会议纪要。");
        if (body.Text.Length > 20_000) return Problems.Invalid("text", "会议纪要不能超过 20000 字。");
        if (body.Attendees is { Length: > 50 } || body.Attendees?.Any(a => string.IsNullOrWhiteSpace(a) || a.Length > 50) == true)
            return Problems.Invalid("attendees", "参会人员最多 50 位，每位不超过 50 字。");

        await using var conn = await db.OpenConnectionAsync(ct);
        if (await GetConference.LoadAsync(conn, null, id, caller, ct) is not { } conference)
            return Problems.NotFound($"没有编号为 {id} 的会议，或它不在您的辖区内。");
        if (conference.CentreCode != caller.RegionCode) return Problems.Forbidden($"只有{conference.CentreName}综治中心可以记录本会议的纪要。");
        await conn.ExecuteAsync(new CommandDefinition(Sql, new
        {
            id, region = caller.RegionCode, text = body.Text.Trim(), attendees = body.Attendees?.Select(a => a.Trim()).ToArray(),
        }, cancellationToken: ct));
        return TypedResults.Ok(await GetConference.LoadAsync(conn, null, id, caller, ct));
    }
}
