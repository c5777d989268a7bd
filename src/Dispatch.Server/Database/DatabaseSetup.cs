using Npgsql;

namespace Dispatch.Server.Database;

/// <summary>The connection string as configured, password included (the data source hides it).</summary>
public sealed record DatabaseAddress(string ConnectionString);

public static class DatabaseSetup
{
    /// <summary>
    /// Points the platform at its database: <c>ConnectionStrings:Dispatch</c> when set, else the
    /// embedded cluster of this checkout, started here and stopped when the host stops.
    /// </summary>
    public static async Task AddDispatchDatabaseAsync(this WebApplicationBuilder builder, CancellationToken ct = default)
    {
        var connectionString = builder.Configuration.GetConnectionString("Dispatch");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            using var loggers = LoggerFactory.Create(l => l.AddConfiguration(builder.Configuration.GetSection("Logging")).AddConsole());
            var log = loggers.CreateLogger<EmbeddedPostgres>();
            var state = builder.Configuration["Database:StateDirectory"]
                        ?? EmbeddedPostgres.DefaultStateDirectory(CheckoutRoot(builder.Environment.ContentRootPath));
            var cluster = await EmbeddedPostgres.StartAsync(state, builder.Configuration["Database:Name"] ?? "dispatch", log, ct: ct);
            builder.Services.AddSingleton(cluster);
            builder.Services.AddHostedService<EmbeddedPostgresLifetime>();
            connectionString = cluster.ConnectionString;
        }
        builder.Services.AddSingleton(new DatabaseAddress(connectionString));
        builder.Services.AddNpgsqlDataSource(connectionString, b => b.UseNetTopologySuite());
    }

    /// <summary>The folder holding Dispatch.sln above the running binary, or the content root.</summary>
    static string CheckoutRoot(string contentRoot)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Dispatch.sln"))) return dir.FullName;
        return contentRoot;
    }

    /// <summary>Stops the embedded cluster after the server has stopped serving.</summary>
    sealed class EmbeddedPostgresLifetime(EmbeddedPostgres cluster, NpgsqlDataSource db) : IHostedService
    {
        public Task StartAsync(CancellationToken ct) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken ct)
        {
            await db.DisposeAsync(); // close pooled connections politely before the cluster goes
            await cluster.StopAsync();
        }
    }
}
