using Dispatch.Simulation;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dispatch.Tests.Simulation;

/// <summary>The one call by which the server takes the simulated city in: on only in demo mode.</summary>
public sealed class SimulationSetupTests
{
    [Theory]
    [InlineData("true", 1)]
    [InlineData("false", 0)]
    public void The_city_is_hosted_only_when_enabled(string enabled, int hosted)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Simulation:Enabled"] = enabled }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IServer, NoServer>();
        services.AddSimulation(config, _ => false);
        using var provider = services.BuildServiceProvider();
        var all = provider.GetServices<IHostedService>().ToList();
        Assert.Equal(hosted, all.Count);
        Assert.All(all, s => Assert.IsType<HostedSimulator>(s));
    }

    sealed class NoServer : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();
        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken ct) where TContext : notnull => Task.CompletedTask;
        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
        public void Dispose() { }
    }
}
