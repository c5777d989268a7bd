using System.Text.RegularExpressions;
using Dispatch.EarlyWarning.Patterns;

namespace Dispatch.Server.ThreeZeros;

/// <param name="Figure">The figure it counts for: petitions, accidents or criminal.</param>
/// <param name="Description">The first 120 characters of the description.</param>
public sealed record ThreeZeroIncident(long Id, string Figure, string Category, string CategoryName, int Priority, DateTimeOffset CreatedAt,
    string Status, string Level, string Description);

public sealed record ThreeZeroVillageIncidents(string VillageCode, string VillageName, string Period, DateOnly From, DateOnly To,
    string? Figure, IReadOnlyList<ThreeZeroIncident> Incidents);

/// <summary>The drill-down: the incidents behind a village's figures — exactly those the board counts.</summary>
public static class GetVillageIncidents
{
    const string VillageSql = "SELECT name FROM region WHERE code = @villageCode AND level = 'village'";

    static readonly string Sql = $"""
        SELECT id, figure, category, categoryname, priority, createdat, status, level, description FROM (
            SELECT i.id, {ThreeZeroSql.Figure} AS figure, i.category_code AS category, c.name AS categoryname, i.priority::int AS priority,
                   i.created_at AS createdat, i.status, i.level, left(i.description, 120) AS description
            FROM incident i JOIN category c ON c.code = i.category_code {ThreeZeroSql.MajorJoin}
            WHERE i.village_code = @villageCode AND i.created_at >= @start AND i.created_at < @end AND {ThreeZeroSql.Kinds}) x
        WHERE figure IS NOT NULL AND (@figure::text IS NULL OR figure = @figure)
        ORDER BY createdat, id
        """;

    public static async Task<IResult> Handle(HttpContext http, string villageCode, string? period, string? at, string? figure,
        NpgsqlDataSource db, ThreeZeroMajor major, TimeProvider clock, CancellationToken ct)
    {
        if (!Regex.IsMatch(villageCode, "^[0-9]{12}$")) return Problems.Invalid("villageCode", "villageCode 应为 12 位村（社区）代码。");
        var (p, bad) = ThreeZeroSql.ParsePeriod(period, at, clock);
        if (bad is not null) return bad;
        if (figure is not null && !ThreeZeroSql.Figures.Contains(figure))
            return Problems.Invalid("figure", "figure 应为 petitions（越级上访）、accidents（重大事故）或 criminal（刑事案件）。");
        var caller = http.Caller();
        await using var conn = await db.OpenConnectionAsync(ct);
        if (await conn.ExecuteScalarAsync<string?>(new CommandDefinition(VillageSql, new { villageCode }, cancellationToken: ct)) is not { } name)
            return Problems.NotFound($"没有编码为 {villageCode} 的村（社区）。");
        // A grid's field worker reads their own village; everyone else the villages of their area.
        if (!(caller.Covers(villageCode) || caller.RegionCode.StartsWith(villageCode, StringComparison.Ordinal)))
            return Problems.Forbidden($"村（社区）{villageCode} 不在您的辖区内。");
        var (keys, max) = ThreeZeroSql.MajorParameters(major);
        var incidents = (await conn.QueryAsync<ThreeZeroIncident>(new CommandDefinition(Sql,
            new { villageCode, start = p!.Start, end = p.End, figure, majorKeys = keys, majorMax = max }, cancellationToken: ct)))
            .Select(i => i with { CreatedAt = Clock.Local(i.CreatedAt) }).ToList();
        return TypedResults.Ok(new ThreeZeroVillageIncidents(villageCode, name, p.Kind, p.From, p.To, figure, incidents));
    }
}
