using System.Net.Http.Json;
using Dispatch.Server;
using Dispatch.Server.Database;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Dispatch.Tests;

/// <summary>
/// The real platform for a test run: a throwaway embedded PostGIS cluster (the server's own
/// mechanism, in a folder under /tmp that the postgres user can reach), the server on a free
/// loopback port, talked to over HTTP. Shared by every test class of the collection.
/// </summary>
public class PlatformFixture : IAsyncLifetime
{
    readonly string _state = Path.Combine("/tmp", $"dispatch-tests-{Guid.NewGuid():N}"[..24]);
    WebApplication? _app;

    /// <summary>Signed in as <c>admin</c> (whole city).</summary>
    public HttpClient Http { get; private set; } = null!;
    /// <summary>Not signed in.</summary>
    public HttpClient Anonymous { get; private set; } = null!;
    public Uri Address { get; private set; } = null!;
    public NpgsqlDataSource Db { get; private set; } = null!;
    public IServiceProvider Services => _app!.Services;

    /// <summary>What a derived fixture adds to the server's set-up (e.g. capturing its logs).</summary>
    protected virtual void Configure(WebApplicationBuilder builder) { }

    public async Task InitializeAsync()
    {
        await StartAsync("http://127.0.0.1:0");
        Http = await SignInAsync("admin");
    }

    /// <summary>
    /// Stops the server (and its database) and starts it again on the same state folder and port, as
    /// an operator's restart does; sessions live in the database, so signed-in clients stay signed in.
    /// </summary>
    public async Task RestartAsync(Action? whileStopped = null)
    {
        await _app!.StopAsync();
        await _app.DisposeAsync();
        whileStopped?.Invoke();
        await StartAsync(Address.ToString().TrimEnd('/'));
    }

    async Task StartAsync(string urls)
    {
        _app = await DispatchApp.BuildAsync(["--urls", urls], b =>
        {
            b.Configuration["Database:StateDirectory"] = _state;
            b.Configuration["Demo:Enabled"] = "true";
            b.Configuration["Logging:LogLevel:Default"] = "Warning";
            // Tests score on demand; a run every five minutes would only add noise to their timings.
            b.Configuration["Alerts:Schedule"] = Hangfire.Cron.Never();
            b.Configuration["Alerts:RefreshSchedule"] = Hangfire.Cron.Never();
            Configure(b);
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address);
        Anonymous ??= new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(2) };
        Db = _app.Services.GetRequiredService<NpgsqlDataSource>();

        var state = _app.Services.GetRequiredService<StartupState>();
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (!state.IsReady)
        {
            if (DateTime.UtcNow > deadline || state.Failure is not null || _app.Lifetime.ApplicationStopping.IsCancellationRequested)
                throw new InvalidOperationException("The platform did not become ready.", state.Failure);
            await Task.Delay(200);
        }
    }

    public const string Password = "Dispatch#2026";

    /// <summary>A client carrying the bearer token of <paramref name="username"/> (demo password).</summary>
    public async Task<HttpClient> SignInAsync(string username)
    {
        var response = await Anonymous.PostAsJsonAsync("/api/auth/login", new { username, password = Password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("token").GetString();
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        Anonymous?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public async Task<T> QueryScalarAsync<T>(string sql)
    {
        await using var cmd = Db.CreateCommand(sql);
        // SQL NULL (min() of no rows, say) reads as the type's null, not as DBNull.
        return await cmd.ExecuteScalarAsync() is { } value and not DBNull ? (T)value : default!;
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
