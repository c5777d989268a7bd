using Dispatch.Server.Database;
using Dispatch.Server.Regions;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Dispatch.Benchmarks;

/// <summary>
/// The benchmarks' own embedded PostGIS (kept under /tmp between runs so the geography is seeded
/// once), migrated and seeded exactly as the server does it.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    public const string StateDirectory = "/tmp/dispatch-bench";
    readonly EmbeddedPostgres _cluster;
    public NpgsqlDataSource Db { get; }
    public string ConnectionString => _cluster.ConnectionString;

    BenchDatabase(EmbeddedPostgres cluster, NpgsqlDataSource db) => (_cluster, Db) = (cluster, db);

    public static async Task<BenchDatabase> StartAsync(string stateDirectory = StateDirectory)
    {
        var cluster = await EmbeddedPostgres.StartAsync(stateDirectory, "dispatch", NullLogger.Instance);
        Migrations.Apply(cluster.ConnectionString, NullLogger.Instance);
        var builder = new NpgsqlDataSourceBuilder(cluster.ConnectionString);
        builder.UseNetTopologySuite();
        var db = builder.Build();
        await SeedGeography.SeedIfEmptyAsync(db, NullLogger.Instance, CancellationToken.None);
        return new BenchDatabase(cluster, db);
    }

    /// <summary>Random points over the city's bbox, seeded: the same points for every contender.</summary>
    public static (double Lon, double Lat)[] RandomPoints(int count, int seed = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (114.00 + random.NextDouble() * 0.75, 35.44 + random.NextDouble() * 0.61)).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        await _cluster.StopAsync();
    }
}
