using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Dispatch.Server.Database;

/// <summary>
/// A private PostgreSQL 15 + PostGIS cluster run from the machine's Debian binaries, so that the
/// platform starts with no database set up by hand. The cluster listens on a Unix socket only,
/// in a folder nobody else may enter, and trusts whoever reaches that socket.
/// <para>
/// <c>initdb</c> and <c>postgres</c> refuse to run as root: a root process runs them as the
/// <c>postgres</c> system user, which must be able to walk to the data folder — hence the default
/// under <c>/var/lib/dispatch</c> rather than inside a checkout that may sit under a 0700 home.
/// </para>
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    const string SystemUser = "postgres";
    const string Superuser = "dispatch";
    const int SocketPort = 5432; // names the socket file only; nothing listens on TCP

    readonly string _bin;
    readonly bool _asSystemUser;
    readonly ILogger _log;
    string? _postmaster; // the pid of the cluster this instance started or adopted

    public string StateDirectory { get; }
    string DataDirectory => Path.Combine(StateDirectory, "pg");
    string SocketDirectory { get; }
    public string Database { get; }

    EmbeddedPostgres(string stateDirectory, string database, string bin, ILogger log)
    {
        StateDirectory = Path.GetFullPath(stateDirectory);
        Database = database;
        _bin = bin;
        _log = log;
        _asSystemUser = Environment.IsPrivilegedProcess;
        // A Unix socket path is limited to 107 bytes; fall back to a short name under /tmp.
        var socket = Path.Combine(StateDirectory, "run");
        SocketDirectory = socket.Length <= 80 ? socket : $"/tmp/dispatch-pg-{ShortHash(StateDirectory)}";
    }

    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = SocketDirectory, Port = SocketPort, Username = Superuser, Database = Database,
    }.ConnectionString;

    /// <summary>The default state folder of a checkout: one per checkout, never inside it when root.</summary>
    public static string DefaultStateDirectory(string checkoutRoot) => Environment.IsPrivilegedProcess
        ? $"/var/lib/dispatch/{Slug(Path.GetFileName(checkoutRoot.TrimEnd('/')))}-{ShortHash(checkoutRoot)}"
        : Path.Combine(checkoutRoot, ".data");

    /// <summary>Initialises the cluster on first use, starts it, and creates the database if absent.</summary>
    public static async Task<EmbeddedPostgres> StartAsync(string stateDirectory, string database, ILogger log,
        string bin = "/usr/lib/postgresql/15/bin", CancellationToken ct = default)
    {
        if (!File.Exists(Path.Combine(bin, "initdb")))
            throw new InvalidOperationException(
                $"PostgreSQL 15 was not found in {bin}. Install it with `apt-get install postgresql-15-postgis-3` " +
                "(./run.sh does this), or set ConnectionStrings__Dispatch to an existing PostGIS database.");
        var pg = new EmbeddedPostgres(stateDirectory, database, bin, log);
        await pg.InitialiseAsync(ct);
        await pg.StartClusterAsync(ct);
        pg._postmaster = pg.PostmasterPid();
        await pg.CreateDatabaseAsync(ct);
        return pg;
    }

    async Task InitialiseAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(SocketDirectory);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(SocketDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (_asSystemUser)
        {
            // Only the cluster's own folders change hands; the rest of the state folder stays the server's.
            await RunAsync("chown", [$"{SystemUser}:{SystemUser}", DataDirectory, SocketDirectory], ct);
            await EnsureReachableAsync(ct);
        }
        if (File.Exists(Path.Combine(DataDirectory, "PG_VERSION"))) return;

        _log.LogInformation("Initialising a new PostgreSQL cluster in {Directory}", DataDirectory);
        await RunPostgresToolAsync("initdb", ["-D", DataDirectory, "-U", Superuser, "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"], ct);
    }

    /// <summary>Says plainly which folder on the way stops the postgres user, instead of a bare EACCES.</summary>
    async Task EnsureReachableAsync(CancellationToken ct)
    {
        var (code, _) = await RunAsync("runuser", ["-u", SystemUser, "--", "test", "-w", DataDirectory], ct, check: false);
        if (code != 0)
            throw new InvalidOperationException(
                $"The '{SystemUser}' user cannot reach {StateDirectory}: a folder on the way is closed to it. " +
                "Set Database__StateDirectory to a folder under /var/lib or /tmp.");
    }

    async Task StartClusterAsync(CancellationToken ct)
    {
        // A cluster left running by a server that was killed is ours: adopt it instead of failing.
        var (status, _) = await RunPostgresToolAsync("pg_ctl", ["-D", DataDirectory, "status"], ct, check: false);
        if (status == 0)
        {
            _log.LogInformation("Adopting the PostgreSQL cluster already running in {Directory}", DataDirectory);
            Adopted = true;
            return;
        }
        var options = $"-c listen_addresses='' -c unix_socket_directories='{SocketDirectory}' -p {SocketPort} " +
                      "-c max_connections=200 -c shared_buffers=256MB -c fsync=on";
        await RunPostgresToolAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(DataDirectory, "server.log"),
            "-o", options, "-w", "-t", "120", "start"], ct);
        _log.LogInformation("PostgreSQL started on socket {Socket}", SocketDirectory);
    }

    async Task CreateDatabaseAsync(CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false };
        await using var conn = new NpgsqlConnection(admin.ConnectionString);
        await conn.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", conn)
            { Parameters = { new() { Value = Database } } };
        if (await exists.ExecuteScalarAsync(ct) is null)
            await new NpgsqlCommand($"CREATE DATABASE \"{Database}\"", conn).ExecuteNonQueryAsync(ct);
    }

    /// <summary>The first line of postmaster.pid: which server process owns the data folder now.</summary>
    string? PostmasterPid()
    {
        try { return File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).FirstOrDefault(); }
        catch (IOException) { return null; }
    }

    /// <summary>The cluster was already running when this process started (a killed server's, or a serving one's).</summary>
    public bool Adopted { get; private set; }

    public async Task StopAsync()
    {
        NpgsqlConnection.ClearAllPools();
        // Stop only our own cluster: if the folder now holds another one (the checkout was reset and
        // another server started meanwhile), stopping it would pull the database from under that server.
        if (PostmasterPid() != _postmaster)
        {
            _log.LogWarning("The cluster in {Directory} is no longer the one this server started; leaving it running", DataDirectory);
            return;
        }
        await RunPostgresToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"], CancellationToken.None, check: false);
        _log.LogInformation("PostgreSQL stopped");
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    Task<(int, string)> RunPostgresToolAsync(string tool, string[] args, CancellationToken ct, bool check = true) =>
        _asSystemUser
            ? RunAsync("runuser", ["-u", SystemUser, "--", Path.Combine(_bin, tool), .. args], ct, check)
            : RunAsync(Path.Combine(_bin, tool), args, ct, check);

    static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, CancellationToken ct, bool check = true)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var output = (await stdout) + (await stderr);
        if (check && process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} failed ({process.ExitCode}):\n{output}");
        return (process.ExitCode, output);
    }

    static string ShortHash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];

    static string Slug(string name) =>
        new string(name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray()).Trim('-') is { Length: > 0 } s ? s : "dispatch";
}
