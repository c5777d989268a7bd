using Api = Dispatch.Server.Incidents;
using Sim = Dispatch.Simulation;

namespace Dispatch.Tests.Simulation;

/// <summary>
/// The simulator is a plain HTTP client with its own copy of the API's names (it does not reference
/// the server): these hold the copies equal to the server's, so a renamed status fails here and not
/// halfway through a demo.
/// </summary>
public sealed class WireNamesTests
{
    [Fact]
    public void Statuses_and_actions_are_named_as_the_server_names_them()
    {
        Assert.Equal(Enum.GetValues<Api.IncidentStatus>().Select(Api.Lifecycle.Wire),
            Enum.GetValues<Sim.IncidentStatus>().Select(Sim.WireNames.Wire));
        Assert.Equal(Enum.GetValues<Api.IncidentAction>().Select(Api.Lifecycle.Wire),
            Enum.GetValues<Sim.IncidentAction>().Select(Sim.WireNames.Wire));
    }

    [Fact]
    public void Defaults_are_the_servers_own()
    {
        Assert.Equal(Dispatch.Server.DispatchApp.DefaultUrl, Sim.SimulationOptions.DefaultUrl);
        Assert.Equal(Dispatch.Server.Identity.SeedDemoAccounts.DefaultPassword, Sim.SimulationOptions.DefaultPassword);
    }
}
