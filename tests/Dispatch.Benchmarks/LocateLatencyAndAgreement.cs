using System.Diagnostics;
using Dispatch.Server.Regions;

namespace Dispatch.Benchmarks;

/// <summary>
/// What BenchmarkDotNet's means do not show: the per-call latency distribution of the in-process
/// locator (p50/p99/p99.9 over 100,000 single calls) and its agreement with PostGIS on 100,000
/// random points plus every shared vertex and edge midpoint of the grids.
/// </summary>
public static class LocateLatencyAndAgreement
{
    public static async Task RunAsync()
    {
        await using var bench = await BenchDatabase.StartAsync();
        var locator = new GridLocator();
        await locator.LoadAsync(bench.Db, CancellationToken.None);
        var points = BenchDatabase.RandomPoints(100_000, seed: 2).ToList();
        var random = points.Count;
        await using (var cmd = bench.Db.CreateCommand("""
            WITH seg AS (SELECT ST_StartPoint(s.geom) a, ST_EndPoint(s.geom) b FROM grid, ST_DumpSegments(grid.geom) s)
            SELECT ST_X(a), ST_Y(a) FROM seg UNION ALL SELECT (ST_X(a) + ST_X(b)) / 2, (ST_Y(a) + ST_Y(b)) / 2 FROM seg
            """))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) points.Add((reader.GetDouble(0), reader.GetDouble(1)));

        // Latency: warm up for long enough that tiered compilation has finished, then time each call alone.
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < TimeSpan.FromSeconds(3))
            foreach (var (lon, lat) in points.Take(10_000)) locator.Locate(lon, lat);
        GC.Collect();
        var ticks = new long[random];
        for (var i = 0; i < random; i++)
        {
            var start = Stopwatch.GetTimestamp();
            locator.Locate(points[i].Lon, points[i].Lat);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }
        Array.Sort(ticks);
        double Micro(double q) => ticks[(int)(q * (ticks.Length - 1))] * 1e6 / Stopwatch.Frequency;
        Console.WriteLine($"In-process latency over {random:N0} single calls: p50 {Micro(0.5):F2} µs, p99 {Micro(0.99):F2} µs, p99.9 {Micro(0.999):F2} µs");

        // Agreement under the shared tie rule.
        await using var query = bench.Db.CreateCommand("""
            SELECT g.code FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(lon, lat, i)
            LEFT JOIN LATERAL (SELECT code FROM grid WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))
                               ORDER BY code LIMIT 1) g ON true ORDER BY p.i
            """);
        query.Parameters.Add(new() { Value = points.Select(p => p.Lon).ToArray() });
        query.Parameters.Add(new() { Value = points.Select(p => p.Lat).ToArray() });
        var i2 = 0;
        int agree = 0, randomAgree = 0;
        await using (var reader = await query.ExecuteReaderAsync())
            while (await reader.ReadAsync())
            {
                var theirs = reader.IsDBNull(0) ? null : reader.GetString(0);
                if (locator.Locate(points[i2].Lon, points[i2].Lat)?.GridCode == theirs) { agree++; if (i2 < random) randomAgree++; }
                i2++;
            }
        Console.WriteLine($"Agreement with PostGIS: random points {randomAgree:N0}/{random:N0}; " +
                          $"boundary points (shared vertices and edge midpoints) {agree - randomAgree:N0}/{points.Count - random:N0}");
    }
}
