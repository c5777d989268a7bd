namespace Dispatch.Server.Kpis;

public sealed record RegionFigures(string Code, string Name, Figures Figures);

/// <param name="Children">The same figures for each region (or grid) one level down, every one listed even when nothing happened in it.</param>
public sealed record KpiReport(string RegionCode, string RegionName, DateOnly From, DateOnly To, DateTimeOffset AsOf, Figures Figures,
    IReadOnlyList<RegionFigures> Children);

/// <summary>The area's figures over a period, and each of its child regions'.</summary>
public static class GetRegionKpis
{
    // Children by name: the districts of the city, the townships of a district, the villages of a township, the grids of a village.
    const string ChildrenSql = """
        SELECT code, name FROM region WHERE parent_code = @code AND length(@code) < 12
        UNION ALL
        SELECT code, name FROM grid WHERE village_code = @code
        ORDER BY code
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, TimeProvider clock, string? from, string? to, string? regionCode,
        CancellationToken ct)
    {
        var (scope, problem) = KpiScope.Of(http, clock, from, to, regionCode);
        if (scope is null) return problem!;
        var (area, period, now) = scope;

        return await LoadAsync(db, area, period, now, ct) is { } report ? TypedResults.Ok(report) : Problems.NotFound($"没有代码为 {area.Code} 的区域。");
    }

    /// <summary>The report, or null when the region does not exist; what the page and the Excel export both show.</summary>
    /// <remarks>The area's own figures and its children's come from one pass over the rows (grouping sets), its counts and times side by side.</remarks>
    internal static async Task<KpiReport?> LoadAsync(NpgsqlDataSource db, Area area, Period period, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var name = await conn.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT name FROM region WHERE code = @code", new { code = area.Code }, cancellationToken: ct));
        if (name is null) return null;
        var figures = await Figures.ByAsync(db, KpiKey.Region(area.ChildLength, withWhole: true), area.Prefix, period, now, ct);
        var children = await conn.QueryAsync<(string Code, string Name)>(new CommandDefinition(ChildrenSql, new { code = area.Code }, cancellationToken: ct));
        return new KpiReport(area.Code, name, period.From, period.To, Clock.Local(now), figures.GetValueOrDefault("", Figures.None),
            [.. children.Select(c => new RegionFigures(c.Code, c.Name, figures.GetValueOrDefault(c.Code, Figures.None)))]);
    }
}
