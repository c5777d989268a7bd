using BenchmarkDotNet.Attributes;
using Dispatch.Server.Regions;
using Npgsql;

namespace Dispatch.Benchmarks;

/// <summary>
/// B1: point → grid/village/township/district. The in-process STR-tree locator against PostGIS
/// answering the same question with the same tie rule, one point per round trip (the anchor) and
/// 1,000 points in one set-based query. Each operation is one point.
/// </summary>
[MemoryDiagnoser]
public class LocateBenchmarks
{
    const int Points = 1000;
    (double Lon, double Lat)[] _points = [];
    BenchDatabase _db = null!;
    GridLocator _locator = null!;
    NpgsqlConnection _conn = null!;
    NpgsqlCommand _one = null!;

    [GlobalSetup]
    public async Task SetUp()
    {
        _db = await BenchDatabase.StartAsync();
        _locator = new GridLocator();
        await _locator.LoadAsync(_db.Db, CancellationToken.None);
        _points = BenchDatabase.RandomPoints(Points);
        _conn = await _db.Db.OpenConnectionAsync();
        _one = new NpgsqlCommand("SELECT code FROM grid WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) ORDER BY code LIMIT 1", _conn)
            { Parameters = { new() { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double }, new() { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double } } };
        await _one.PrepareAsync();
    }

    [GlobalCleanup]
    public async Task TearDown()
    {
        await _conn.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Points, Description = "PostGIS, one round trip per point")]
    public async Task<int> PostgisRoundTrip()
    {
        var found = 0;
        foreach (var (lon, lat) in _points)
        {
            _one.Parameters[0].Value = lon;
            _one.Parameters[1].Value = lat;
            if (await _one.ExecuteScalarAsync() is not null) found++;
        }
        return found;
    }

    [Benchmark(OperationsPerInvoke = Points, Description = "PostGIS, 1,000 points in one query")]
    public async Task<int> PostgisSetBased()
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT count(g.code) FROM unnest($1::float8[], $2::float8[]) AS p(lon, lat)
            LEFT JOIN LATERAL (SELECT code FROM grid WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))
                               ORDER BY code LIMIT 1) g ON true
            """, _conn);
        cmd.Parameters.Add(new() { Value = _points.Select(p => p.Lon).ToArray() });
        cmd.Parameters.Add(new() { Value = _points.Select(p => p.Lat).ToArray() });
        return Convert.ToInt32(await cmd.ExecuteScalarAsync());
    }

    [Benchmark(OperationsPerInvoke = Points, Description = "In process (STR-tree + indexed point-in-area)")]
    public int InProcess()
    {
        var found = 0;
        foreach (var (lon, lat) in _points)
            if (_locator.Locate(lon, lat) is not null) found++;
        return found;
    }
}
