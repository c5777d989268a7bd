using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dispatch.Simulation;

/// <summary>
/// The simulated city inside the server (<c>Simulation:Enabled</c>, on under <c>./run.sh</c>): once
/// the platform is ready it runs <see cref="Simulator"/> against the server's own address, over
/// HTTP like any client, with <c>Simulation:Rate</c> and <c>Simulation:Speed</c>, logging progress
/// once a minute. If it cannot start it says why and leaves the server running.
/// </summary>
/// <param name="isReady">Whether the platform has migrated and seeded its database: a delegate, so
/// that this library need not know the server's startup types.</param>
public sealed class HostedSimulator(IServer server, Func<bool> isReady, IConfiguration config, ILogger<HostedSimulator> log) : BackgroundService
{
    public static bool IsEnabled(IConfiguration config) => config.GetValue<bool>("Simulation:Enabled");

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        while (!isReady()) await Task.Delay(250, ct);
        var options = new SimulationOptions
        {
            Url = OwnAddress(),
            RatePerDay = config.GetValue("Simulation:Rate", SimulationOptions.DefaultRate),
            Speed = config.GetValue("Simulation:Speed", 1.0),
            Seed = config.GetValue("Simulation:Seed", 2026),
            Handover = config.GetValue("Simulation:Handover", true),
            Password = config["Demo:Password"] ?? SimulationOptions.DefaultPassword,
            ProgressEvery = TimeSpan.FromMinutes(1),
        };
        try
        {
            await Simulator.RunAsync(options, log, line => log.LogInformation("{Progress}", line), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e) when (e is SimulationException or HttpRequestException)
        {
            log.LogError("The simulated city could not start: {Reason}", e.Message);
        }
    }

    /// <summary>Where this server listens, as a client reaches it: a wildcard host means loopback.</summary>
    Uri OwnAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .OrderBy(a => a.StartsWith("https", StringComparison.OrdinalIgnoreCase)).FirstOrDefault() ?? SimulationOptions.DefaultUrl;
        var uri = new UriBuilder(address.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        if (uri.Host is "0.0.0.0" or "[::]" or "::") uri.Host = "127.0.0.1";
        return new Uri(uri.Uri.GetLeftPart(UriPartial.Authority));
    }
}
