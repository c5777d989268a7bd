using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Dispatch.Server.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Dispatch.Tests.Resilience;

/// <summary>
/// The server as production runs it — a separate OS process (<c>dotnet Dispatch.Server.dll</c>) —
/// on a PostgreSQL cluster of its own under /tmp, so that a test may kill one and stop the other
/// without touching the shared platform.
/// </summary>
public sealed class ServerProcess : IAsyncLifetime
{
    readonly string _state = Path.Combine("/tmp", $"dispatch-res-{Guid.NewGuid():N}"[..20]);
    readonly StringBuilder _output = new();
    Process? _process;

    public EmbeddedPostgres Cluster { get; private set; } = null!;
    /// <summary>Settings added to the process's environment at its next start (e.g. <c>Live__Relay</c>).</summary>
    public Dictionary<string, string> Environment { get; } = [];
    public Uri Address { get; private set; } = null!;
    public int ProcessId => _process!.Id;
    public bool IsRunning => _process is { HasExited: false };

    readonly bool _ownsCluster = true;

    public ServerProcess() { }

    /// <summary>Another server on the same database and state folder, as a second node behind a load balancer.</summary>
    ServerProcess(ServerProcess first, IDictionary<string, string> environment)
    {
        _state = first._state;
        Cluster = first.Cluster;
        _ownsCluster = false;
        foreach (var (key, value) in environment) Environment[key] = value;
    }

    public async Task InitializeAsync()
    {
        Cluster ??= await EmbeddedPostgres.StartAsync(_state, "dispatch", NullLogger.Instance);
        Address = new Uri($"http://127.0.0.1:{FreePort()}");
        await StartAsync();
    }

    public async Task<ServerProcess> AddNodeAsync(IDictionary<string, string> environment)
    {
        var node = new ServerProcess(this, environment);
        await node.InitializeAsync();
        return node;
    }

    /// <summary>Starts the server process and waits until it answers ready (the first start seeds the city).</summary>
    public async Task StartAsync()
    {
        var (dll, contentRoot) = ServerBinary();
        var info = new ProcessStartInfo("dotnet", [dll, "--urls", Address.ToString().TrimEnd('/')])
        {
            WorkingDirectory = contentRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ConnectionStrings__Dispatch"] = Cluster.ConnectionString,
                ["Demo__Enabled"] = "true",
                ["Database__StateDirectory"] = _state,
            },
        };
        foreach (var (key, value) in Environment) info.Environment[key] = value;
        info.Environment.Remove("ASPNETCORE_URLS"); // --urls decides
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        for (var deadline = DateTime.UtcNow.AddMinutes(2); ; await Task.Delay(200))
        {
            if (_process.HasExited) throw new InvalidOperationException($"The server exited ({_process.ExitCode}):\n{Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The server did not become ready:\n{Output}");
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { } // not listening yet
            catch (TaskCanceledException) { } // listening, but too busy to answer within 5 s: ask again until the deadline
        }
    }

    /// <summary><c>kill -9</c>: no shutdown, no flushing, no goodbye.</summary>
    public async Task KillAsync()
    {
        _process!.Kill(entireProcessTree: false); // SIGKILL on Unix
        await _process.WaitForExitAsync();
    }

    public Task StopDatabaseAsync() => Cluster.StopAsync();

    public async Task StartDatabaseAsync() =>
        Cluster = await EmbeddedPostgres.StartAsync(_state, "dispatch", NullLogger.Instance);

    /// <summary>A connection to the cluster as its owner, bypassing the server.</summary>
    public async Task<NpgsqlConnection> OpenAsync()
    {
        var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Cluster.ConnectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    void Keep(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public async Task DisposeAsync()
    {
        if (IsRunning) await KillAsync();
        _process?.Dispose();
        if (!_ownsCluster) return;
        if (Cluster is not null) await Cluster.StopAsync();
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>src/Dispatch.Server/bin/&lt;the configuration these tests were built in&gt;/net10.0/Dispatch.Server.dll, and its project folder.</summary>
    static (string Dll, string ContentRoot) ServerBinary()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)); // tests/Dispatch.Tests/bin/<Configuration>/net10.0
        var configuration = bin.Parent!.Name;
        for (var dir = bin; dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Dispatch.sln")))
            {
                var project = Path.Combine(dir.FullName, "src", "Dispatch.Server");
                var dll = Path.Combine(project, "bin", configuration, bin.Name, "Dispatch.Server.dll");
                if (!File.Exists(dll)) throw new FileNotFoundException("Build the server first.", dll);
                return (dll, project);
            }
        throw new DirectoryNotFoundException($"No Dispatch.sln above {bin.FullName}");
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
