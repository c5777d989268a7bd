using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dispatch.Simulation;

/// <summary>How a server takes the simulated city in demo mode (the <c>simulate</c> verb is <see cref="SimulateCommand"/>).</summary>
public static class SimulationSetup
{
    /// <summary>
    /// Runs the simulated city inside the host when <c>Simulation:Enabled</c> is set; nothing
    /// otherwise. <paramref name="isReady"/> tells it when the platform can take requests.
    /// </summary>
    public static IServiceCollection AddSimulation(this IServiceCollection services, IConfiguration config, Func<IServiceProvider, bool> isReady)
    {
        if (!HostedSimulator.IsEnabled(config)) return services;
        services.AddHostedService(sp => new HostedSimulator(sp.GetRequiredService<IServer>(), () => isReady(sp), config,
            sp.GetRequiredService<ILogger<HostedSimulator>>()));
        return services;
    }
}
