namespace Dispatch.Server.Regions;

public sealed record RegionChild(string Code, string Name, string Level);
/// <param name="Bbox">[minLon, minLat, maxLon, maxLat]: where a map of the region opens.</param>
public sealed record RegionView(string Code, string Name, string Level, string? ParentCode, double[] Bbox, IReadOnlyList<RegionChild> Children);

/// <summary>One node of the tree, city to grid, with its children (a village's children are its grids).</summary>
public static class GetRegion
{
    // Two result sets: the node itself, then its children.
    const string Sql = """
        SELECT name, level, parent_code AS parentcode, ST_XMin(geom) AS min_lon, ST_YMin(geom) AS min_lat, ST_XMax(geom) AS max_lon, ST_YMax(geom) AS max_lat
        FROM region WHERE code = @code
        UNION ALL
        SELECT name, 'grid', village_code, ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) FROM grid WHERE code = @code;

        SELECT code, name, level FROM region WHERE parent_code = @code
        UNION ALL
        SELECT code, name, 'grid' FROM grid WHERE village_code = @code
        ORDER BY code;
        """;

    sealed record Node(string Name, string Level, string? ParentCode, double MinLon, double MinLat, double MaxLon, double MaxLat);

    public static async Task<IResult> Handle(string code, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var results = await conn.QueryMultipleAsync(new CommandDefinition(Sql, new { code }, cancellationToken: ct));
        if (await results.ReadFirstOrDefaultAsync<Node>() is not { } node) return Problems.NotFound($"没有编码为 {code} 的区划或网格。");
        var children = (await results.ReadAsync<RegionChild>()).AsList();
        return TypedResults.Ok(new RegionView(code, node.Name, node.Level, node.ParentCode, [node.MinLon, node.MinLat, node.MaxLon, node.MaxLat], children));
    }
}
