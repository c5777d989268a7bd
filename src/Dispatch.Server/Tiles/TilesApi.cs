using Microsoft.Extensions.Caching.Memory;

namespace Dispatch.Server.Tiles;

/// <summary>
/// Mapbox vector tiles cut by PostGIS (<c>ST_AsMVT</c>) from the stored Web-Mercator geometry.
/// Geography changes only on import, so tiles are kept in a bounded in-memory cache that an
/// import clears (<see cref="TileCache.Clear"/>).
/// </summary>
public static class TilesApi
{
    public const string ContentType = "application/vnd.mapbox-vector-tile";

    public static IEndpointRouteBuilder MapTiles(this IEndpointRouteBuilder app)
    {
        app.MapGet("/tiles/{layer}/{z:int}/{x:int}/{y:int}.mvt", Handle).WithTags("Tiles").Produces<byte[]>(200, ContentType);
        return app;
    }

    static async Task<IResult> Handle(string layer, int z, int x, int y, NpgsqlDataSource db, TileCache cache,
        HttpContext http, CancellationToken ct)
    {
        if (!TileQuery.ByLayer.TryGetValue(layer, out var query))
            return Problems.NotFound($"没有名为 {layer} 的图层；可用：{string.Join("、", TileQuery.ByLayer.Keys)}。");
        if (z is < 0 or > 22 || x < 0 || y < 0 || x >= 1 << z || y >= 1 << z)
            return Problems.Invalid("z", $"瓦片 {z}/{x}/{y} 超出范围。");

        var tile = await cache.GetOrCreateAsync($"{layer}/{z}/{x}/{y}", async () =>
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            return await conn.ExecuteScalarAsync<byte[]?>(new CommandDefinition(query.Sql, new { z, x, y, levels = query.LevelsAt(z) }, cancellationToken: ct)) ?? [];
        });
        // The browser may keep a tile; a shared cache (a proxy) may not: tiles are for signed-in users.
        http.Response.Headers.CacheControl = "private, max-age=300";
        return TypedResults.Bytes(tile, ContentType);
    }
}

public sealed class TileCache
{
    MemoryCache _tiles = NewCache();

    static MemoryCache NewCache() => new(new MemoryCacheOptions { SizeLimit = 64 << 20 });

    public async Task<byte[]> GetOrCreateAsync(string key, Func<Task<byte[]>> cut)
    {
        var tiles = _tiles;
        if (tiles.TryGetValue(key, out byte[]? tile)) return tile!;
        tile = await cut();
        tiles.Set(key, tile, new MemoryCacheEntryOptions { Size = tile.Length + 64 });
        return tile;
    }

    public void Clear() => Interlocked.Exchange(ref _tiles, NewCache()).Dispose();
}
