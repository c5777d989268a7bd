using Npgsql;

namespace Dispatch.Tests;

/// <summary>A grid's service point: a place to report from, where the grid's own worker is the nearest.</summary>
public sealed record Place(string GridCode, double Lon, double Lat);

public sealed partial class TestKit
{
    static readonly HashSet<string> HandedOut = [];
    static readonly SemaphoreSlim Handing = new(1, 1);

    /// <summary>
    /// Service points of grids whose worker is available and with no incident within
    /// <paramref name="clearanceMetres"/>, never the same grid twice in a run; optionally only
    /// inside, or only outside, a region (by code prefix).
    /// </summary>
    public async Task<IReadOnlyList<Place>> FreshPlacesAsync(int count, double clearanceMetres = 300, string within = "", string outside = "")
    {
        await Handing.WaitAsync();
        try
        {
            // Degrees from metres by the length of a degree of longitude here (~90 km), so never too little clearance.
            await using var cmd = platform.Db.CreateCommand("""
                SELECT g.code, ST_X(g.service_point), ST_Y(g.service_point)
                FROM grid g JOIN staff s ON s.code = 'gw-' || g.code AND s.status = 'available'
                WHERE g.code <> ALL ($1) AND starts_with(g.code, $3) AND ($4 = '' OR NOT starts_with(g.code, $4))
                  AND NOT EXISTS (SELECT 1 FROM incident i WHERE ST_DWithin(i.location, g.service_point, $2 / 90000.0))
                ORDER BY md5(g.code)
                LIMIT $5
                """);
            foreach (var value in new object[] { HandedOut.ToArray(), clearanceMetres, within, outside, count })
                cmd.Parameters.Add(new() { Value = value });
            var places = await ReadPlacesAsync(cmd);
            Assert.True(places.Count == count, $"Only {places.Count} fresh places left of {count} wanted.");
            HandedOut.UnionWith(places.Select(p => p.GridCode));
            return places;
        }
        finally { Handing.Release(); }
    }

    public async Task<Place> FreshPlaceAsync(double clearanceMetres = 300, string within = "", string outside = "") =>
        (await FreshPlacesAsync(1, clearanceMetres, within, outside))[0];

    /// <summary>The service point of the <paramref name="nth"/> grid (in code order) under a region code.</summary>
    public static async Task<Place> PlaceInAsync(NpgsqlDataSource db, string regionCode, int nth = 0)
    {
        await using var cmd = db.CreateCommand($"{AllGrids} WHERE starts_with(code, $1) ORDER BY code OFFSET $2 LIMIT 1");
        cmd.Parameters.Add(new() { Value = regionCode });
        cmd.Parameters.Add(new() { Value = nth });
        var places = await ReadPlacesAsync(cmd);
        Assert.True(places.Count == 1, $"no grid under {regionCode}");
        return places[0];
    }

    /// <summary>Every grid's service point, in code order.</summary>
    public static async Task<List<Place>> PlacesAsync(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand($"{AllGrids} ORDER BY code");
        return await ReadPlacesAsync(cmd);
    }

    /// <inheritdoc cref="PlacesAsync(NpgsqlDataSource)"/>
    public static async Task<List<Place>> PlacesAsync(NpgsqlConnection conn)
    {
        await using var cmd = new NpgsqlCommand($"{AllGrids} ORDER BY code", conn);
        return await ReadPlacesAsync(cmd);
    }

    const string AllGrids = "SELECT code, ST_X(service_point), ST_Y(service_point) FROM grid";

    static async Task<List<Place>> ReadPlacesAsync(NpgsqlCommand cmd)
    {
        var places = new List<Place>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) places.Add(new Place(r.GetString(0), r.GetDouble(1), r.GetDouble(2)));
        return places;
    }
}
