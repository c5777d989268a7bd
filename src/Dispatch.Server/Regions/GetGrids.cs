using System.Globalization;

namespace Dispatch.Server.Regions;

/// <summary>Grid polygons as a GeoJSON FeatureCollection, optionally only those meeting a bbox.</summary>
public static class GetGrids
{
    /// <summary>
    /// Rows of <c>grid_place</c> as one GeoJSON FeatureCollection, by code. PostGIS writes the GeoJSON
    /// itself: 4,122 features need no round trip through objects.
    /// </summary>
    internal static string FeatureCollectionSql(string geometry, string properties, string where = "true") => $"""
        SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
            'type', 'Feature', 'id', code, 'geometry', ST_AsGeoJSON({geometry}, 7)::json, 'properties', json_build_object({properties}))
            ORDER BY code), '[]'))::text
        FROM grid_place WHERE ({where})
        """;

    static readonly string Sql = FeatureCollectionSql("geom",
        "'code', code, 'name', name, 'villageCode', village_code, 'townshipCode', township_code, 'districtCode', district_code",
        "@minLon::float8 IS NULL OR geom && ST_MakeEnvelope(@minLon, @minLat, @maxLon, @maxLat, 4326)");

    public static async Task<IResult> Handle(string? bbox, NpgsqlDataSource db, CancellationToken ct)
    {
        double[]? box = null;
        if (bbox is not null && (box = ParseBbox(bbox)) is null)
            return Problems.Invalid("bbox", "bbox 应为 minLon,minLat,maxLon,maxLat 四个数，且最小值不大于最大值。");
        await using var conn = await db.OpenConnectionAsync(ct);
        var json = await conn.ExecuteScalarAsync<string>(new CommandDefinition(Sql,
            new { minLon = box?[0], minLat = box?[1], maxLon = box?[2], maxLat = box?[3] }, cancellationToken: ct));
        return TypedResults.Text(json!, "application/geo+json");
    }

    internal static double[]? ParseBbox(string text)
    {
        var parts = text.Split(',');
        if (parts.Length != 4) return null;
        var v = new double[4];
        for (var i = 0; i < 4; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) || !double.IsFinite(v[i])) return null;
        return v[0] <= v[2] && v[1] <= v[3] && v[0] >= -180 && v[2] <= 180 && v[1] >= -90 && v[3] <= 90 ? v : null;
    }
}
