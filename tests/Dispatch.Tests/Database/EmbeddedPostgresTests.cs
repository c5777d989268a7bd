using Dispatch.Server.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Dispatch.Tests.Database;

public sealed class EmbeddedPostgresTests
{
    [Fact]
    public async Task A_restarted_cluster_keeps_its_data_and_has_postgis()
    {
        var state = Path.Combine("/tmp", $"dispatch-pgtest-{Guid.NewGuid():N}"[..24]);
        try
        {
            await using (var first = await EmbeddedPostgres.StartAsync(state, "keep", NullLogger.Instance))
            {
                await using var conn = new NpgsqlConnection(first.ConnectionString);
                await conn.OpenAsync();
                await new NpgsqlCommand("CREATE EXTENSION postgis; CREATE TABLE kept (v text); INSERT INTO kept VALUES ('鹤壁')", conn).ExecuteNonQueryAsync();
            }

            await using var second = await EmbeddedPostgres.StartAsync(state, "keep", NullLogger.Instance);
            await using var again = new NpgsqlConnection(second.ConnectionString);
            await again.OpenAsync();
            Assert.Equal("鹤壁", await new NpgsqlCommand("SELECT v FROM kept", again).ExecuteScalarAsync());
            Assert.StartsWith("3.", (string)(await new NpgsqlCommand("SELECT postgis_lib_version()", again).ExecuteScalarAsync())!);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public async Task A_stopped_cluster_refuses_connections()
    {
        var state = Path.Combine("/tmp", $"dispatch-pgtest-{Guid.NewGuid():N}"[..24]);
        try
        {
            var cluster = await EmbeddedPostgres.StartAsync(state, "gone", NullLogger.Instance);
            await cluster.StopAsync();
            await using var conn = new NpgsqlConnection(cluster.ConnectionString + ";Timeout=2;Pooling=false");
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => conn.OpenAsync());
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }
}
