using Dispatch.Server.Common;
using Npgsql;

namespace Dispatch.Server.Regions;

public sealed record RegionChild(string Code, string Name, string Level);
public sealed record RegionView(string Code, string Name, string Level, string? ParentCode, IReadOnlyList<RegionChild> Children);

/// <summary>One node of the tree, city to grid, with its children (a village's children are its grids).</summary>
public static class GetRegion
{
    const string Sql = """
        SELECT code, name, level, parent_code FROM region WHERE code = $1
        UNION ALL
        SELECT code, name, 'grid', village_code FROM grid WHERE code = $1;

        SELECT code, name, level FROM region WHERE parent_code = $1
        UNION ALL
        SELECT code, name, 'grid' FROM grid WHERE village_code = $1
        ORDER BY code;
        """;

    public static async Task<IResult> Handle(string code, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        foreach (var sql in Sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            batch.BatchCommands.Add(new NpgsqlBatchCommand(sql) { Parameters = { new() { Value = code } } });
        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return Problems.NotFound($"没有编码为 {code} 的区划或网格。");
        var (name, level, parent) = (reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));

        await reader.NextResultAsync(ct);
        var children = new List<RegionChild>();
        while (await reader.ReadAsync(ct))
            children.Add(new RegionChild(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        return TypedResults.Ok(new RegionView(code, name, level, parent, children));
    }
}
