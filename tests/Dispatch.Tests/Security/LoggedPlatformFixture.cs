using System.Collections.Concurrent;
using System.Net.Http.Json;
using Dispatch.Server;
using Dispatch.Server.Database;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Dispatch.Tests.Security;

/// <summary>
/// A platform of its own (own embedded cluster, own server) whose every log message, down to
/// Trace and from every category, is kept in <see cref="Logs"/>, so that a test can say what the
/// logs never contain. The console stays at Warning.
/// </summary>
public sealed class LoggedPlatformFixture : IAsyncLifetime
{
    readonly string _state = Path.Combine("/tmp", $"dispatch-logged-{Guid.NewGuid():N}"[..24]);
    WebApplication? _app;

    public CapturedLogs Logs { get; } = new();
    public HttpClient Anonymous { get; private set; } = null!;
    public Uri Address { get; private set; } = null!;
    public NpgsqlDataSource Db { get; private set; } = null!;
    public IServiceProvider Services => _app!.Services;

    public async Task InitializeAsync()
    {
        _app = await DispatchApp.BuildAsync(["--urls", "http://127.0.0.1:0"], b =>
        {
            b.Configuration["Database:StateDirectory"] = _state;
            b.Configuration["Demo:Enabled"] = "true";
            b.Configuration["Logging:LogLevel:Default"] = "Warning";
            b.Logging.AddProvider(Logs);
            b.Logging.AddFilter<CapturedLogs>(category: null, LogLevel.Trace); // beats every category rule of the configuration
        });
        await _app.StartAsync();
        Address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Anonymous = Reports.Stranger(Address);
        Db = _app.Services.GetRequiredService<NpgsqlDataSource>();

        var state = _app.Services.GetRequiredService<StartupState>();
        for (var deadline = DateTime.UtcNow.AddMinutes(5); !state.IsReady; await Task.Delay(200))
            if (DateTime.UtcNow > deadline || state.Failure is not null)
                throw new InvalidOperationException("The logged platform did not become ready.", state.Failure);
    }

    public async Task<HttpClient> SignInAsync(string username)
    {
        var response = await Anonymous.PostAsJsonAsync("/api/auth/login", new { username, password = PlatformFixture.Password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("token").GetString();
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    public async Task DisposeAsync()
    {
        Anonymous?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Keeps every message, its structured values, its scopes and its exception, as text.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);
    public void Dispose() { }

    sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            lines.Enqueue($"scope {category} {Values(state)}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)} | {Values(state)} | {exception}");

        static string Values(object? state) => state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(", ", pairs.Select(p => $"{p.Key}={Text(p.Value)}"))
            : state?.ToString() ?? "";

        static string Text(object? value) => value switch
        {
            null => "",
            string s => s,
            byte[] bytes => Convert.ToHexStringLower(bytes),
            System.Collections.IEnumerable many => string.Join(",", many.Cast<object?>().Select(Text)),
            _ => value.ToString() ?? "",
        };
    }
}
