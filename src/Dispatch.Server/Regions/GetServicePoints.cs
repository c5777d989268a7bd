namespace Dispatch.Server.Regions;

/// <summary>The 4,122 grid service points (网格服务点) as a GeoJSON FeatureCollection.</summary>
public static class GetServicePoints
{
    static readonly string Sql = GetGrids.FeatureCollectionSql("service_point",
        "'gridCode', code, 'name', name || '服务点', 'villageCode', village_code, 'townshipCode', township_code, 'districtCode', district_code");

    public static async Task<IResult> Handle(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Sql);
        return TypedResults.Text((string)(await cmd.ExecuteScalarAsync(ct))!, "application/geo+json");
    }
}
