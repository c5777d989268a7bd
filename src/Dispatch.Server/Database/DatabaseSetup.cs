namespace Dispatch.Server.Database;

/// <summary>The connection string as configured, password included (the data source hides it).</summary>
public sealed record DatabaseAddress(string ConnectionString);

/// <summary>
/// The folder of this installation's own state: the embedded cluster, the keys, the photos.
/// One per checkout by default, so that two checkouts never share one.
/// </summary>
public sealed record StateDirectory(string Path)
{
    public string Sub(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;
}

public static class DatabaseSetup
{
    /// <summary>The role the server works as once migrations have run (db/migrations/0003).</summary>
    public const string ApplicationRole = "dispatch_app";

    /// <summary>Connections kept open, and opened at start-up, so that the first burst does not wait for them.</summary>
    public const int MinimumPool = 16;

    /// <summary>
    /// Points the platform at its database: <c>ConnectionStrings:Dispatch</c> when set, else the
    /// embedded cluster of this checkout, started here and stopped when the host stops.
    /// </summary>
    public static async Task<StateDirectory> AddDispatchDatabaseAsync(this WebApplicationBuilder builder, CancellationToken ct = default)
    {
        var state = new StateDirectory(builder.Configuration["Database:StateDirectory"]
                                       ?? EmbeddedPostgres.DefaultStateDirectory(CheckoutRoot(builder.Environment.ContentRootPath)));
        Directory.CreateDirectory(state.Path);
        builder.Services.AddSingleton(state);

        var connectionString = builder.Configuration.GetConnectionString("Dispatch");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            using var loggers = LoggerFactory.Create(l => l.AddConfiguration(builder.Configuration.GetSection("Logging")).AddConsole());
            var cluster = await EmbeddedPostgres.StartAsync(state.Path, builder.Configuration["Database:Name"] ?? "dispatch",
                loggers.CreateLogger<EmbeddedPostgres>(), ct: ct);
            builder.Services.AddSingleton(cluster);
            builder.Services.AddHostedService<EmbeddedPostgresLifetime>();
            connectionString = cluster.ConnectionString;
        }
        // Writes must fail fast when the database is gone (503 within 2 s), not hang a caller.
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Timeout")) csb.Timeout = 2;
        // The same few statements run all day: prepare them once per connection instead of planning
        // PostGIS queries on every request.
        if (!given.ContainsKey("Max Auto Prepare")) csb.MaxAutoPrepare = 64;
        // No JIT: the assessment figures are one large query whose estimated cost passes PostgreSQL's JIT
        // threshold, and compiling it took 4 of its 5 seconds over a year's past (docs/performance.md).
        if (!given.ContainsKey("Options")) csb.Options = "-c jit=off";
        // A Unix socket needs no TLS: asking for it first costs a round trip on every new connection,
        // and under a burst PostgreSQL answered that question too late for the 2-s timeout.
        if (csb.Host?.StartsWith('/') == true && !given.ContainsKey("SSL Mode")) csb.SslMode = SslMode.Disable;
        // Connections the pool keeps however quiet it gets: a burst after a lull then finds them open
        // instead of waiting for PostgreSQL to start a backend for each (tens of ms apiece, serialised).
        if (!given.ContainsKey("Minimum Pool Size")) csb.MinPoolSize = MinimumPool;
        // And a modest ceiling: requests of a few milliseconds are better queued for an open connection
        // than each waiting for a new backend — under a cold burst that wait ran past the timeout, the
        // pool filled with half-open connections, and every request failed (measured: docs/performance.md, B3).
        if (!given.ContainsKey("Maximum Pool Size")) csb.MaxPoolSize = 2 * MinimumPool;
        builder.Services.AddSingleton(new DatabaseAddress(csb.ConnectionString));
        builder.Services.AddNpgsqlDataSource(csb.ConnectionString, b => b
            .UseNetTopologySuite()
            .UsePhysicalConnectionInitializer(
                conn => { using var cmd = new NpgsqlCommand($"SET ROLE {ApplicationRole}", conn); cmd.ExecuteNonQuery(); },
                async conn => { await using var cmd = new NpgsqlCommand($"SET ROLE {ApplicationRole}", conn); await cmd.ExecuteNonQueryAsync(); }));
        return state;
    }

    /// <summary>A data source as the login role itself, for migrations and seeding at start-up.</summary>
    public static NpgsqlDataSource OwnerDataSource(this DatabaseAddress address) =>
        new NpgsqlDataSourceBuilder(address.ConnectionString).UseNetTopologySuite().Build();

    /// <summary>The folder holding Dispatch.sln above the running binary, or the content root.</summary>
    static string CheckoutRoot(string contentRoot)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Dispatch.sln"))) return dir.FullName;
        return contentRoot;
    }

    /// <summary>Stops the embedded cluster after the server has stopped serving.</summary>
    /// <remarks>
    /// A command run beside a serving server (<c>generate-history</c>) sets <c>Database:KeepAdopted</c>:
    /// the cluster it found running is that server's, and stays up when the command ends.
    /// </remarks>
    sealed class EmbeddedPostgresLifetime(EmbeddedPostgres cluster, NpgsqlDataSource db, IConfiguration config) : IHostedService
    {
        public Task StartAsync(CancellationToken ct) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken ct)
        {
            await db.DisposeAsync(); // close pooled connections politely before the cluster goes
            if (cluster.Adopted && config.GetValue<bool>("Database:KeepAdopted")) return;
            await cluster.StopAsync();
        }
    }
}
