using Dispatch.Server.Supervision;

namespace Dispatch.Server.Conferences;

public sealed record ConferenceSummary(long Id, string CentreCode, string CentreName, string Level, string Kind, string Title,
    DateTimeOffset ScheduledAt, string Status, int Items, int Decided);

/// <summary>The conferences of the caller's area (or of one centre inside it), the newest first.</summary>
public static class ListConferences
{
    static readonly string Sql = $"""
        SELECT c.id, c.centre_code, r.name AS centre_name, c.title, c.scheduled_at, c.status,
               (SELECT count(*)::int FROM conference_item ci WHERE ci.conference_id = c.id) AS items,
               (SELECT count(*)::int FROM conference_item ci WHERE ci.conference_id = c.id AND ci.decision IS NOT NULL) AS decided
        FROM conference c JOIN region r ON r.code = c.centre_code
        WHERE {CurrentUser.CoversSql("@region", "c.centre_code")} AND (@centreCode::text IS NULL OR c.centre_code = @centreCode)
        ORDER BY c.scheduled_at DESC, c.id DESC LIMIT 200
        """;

    sealed record Row(long Id, string CentreCode, string CentreName, string Title, DateTimeOffset ScheduledAt, string Status, int Items, int Decided);

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, string? centreCode, CancellationToken ct)
    {
        if (centreCode is not null && !System.Text.RegularExpressions.Regex.IsMatch(centreCode, "^[0-9]{6,12}$"))
            return Problems.Invalid("centreCode", "centreCode 应为 6 到 12 位区划代码。");
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<Row>(new CommandDefinition(Sql, new { region = http.Caller().RegionCode, centreCode }, cancellationToken: ct));
        return TypedResults.Ok(rows.Select(r =>
        {
            var level = Centres.LevelOf(r.CentreCode);
            return new ConferenceSummary(r.Id, r.CentreCode, r.CentreName, level, ConferencesApi.KindName(level), r.Title, Clock.Local(r.ScheduledAt),
                r.Status, r.Items, r.Decided);
        }).ToList());
    }
}
