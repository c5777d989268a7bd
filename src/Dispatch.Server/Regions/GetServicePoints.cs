namespace Dispatch.Server.Regions;

/// <summary>The 4,122 grid service points (网格服务点) as a GeoJSON FeatureCollection.</summary>
public static class GetServicePoints
{
    const string Sql = """
        SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
            'type', 'Feature', 'id', code, 'geometry', ST_AsGeoJSON(service_point, 7)::json,
            'properties', json_build_object('gridCode', code, 'name', name || '服务点', 'villageCode', village_code,
                                            'townshipCode', township_code, 'districtCode', district_code))
            ORDER BY code), '[]'))::text
        FROM grid_place
        """;

    public static async Task<IResult> Handle(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Sql);
        return TypedResults.Text((string)(await cmd.ExecuteScalarAsync(ct))!, "application/geo+json");
    }
}
