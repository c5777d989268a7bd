using System.Net;
using System.Net.Http.Json;
using Dispatch.Server.Incidents;
using Dispatch.Server.SupervisionOrders;

namespace Dispatch.Tests.Supervision;

/// <summary>督办 (docs/api.md, "Supervision orders"): ordered by a supervisor, acknowledged by the responsible centre, done when the case closes, late when after its date.</summary>
[Collection(PlatformCollection.Name)]
public sealed class SupervisionOrderTests(PlatformFixture platform)
{
    readonly TestKit _kit = new(platform);

    [Fact]
    public async Task A_supervisor_orders_the_centre_acknowledges_and_closing_the_case_completes_it_on_time()
    {
        var incident = await _kit.BuildAsync(IncidentStatus.Accepted, await _kit.FreshPlaceAsync(within: "410611"));
        var supervisor = await _kit.ClientAsync("supervisor-410611");
        var dueBy = DateTimeOffset.UtcNow.AddDays(2);
        var order = await TestKit.ReadAsync<SupervisionOrderView>(await supervisor.PostAsJsonAsync("/api/supervision-orders",
            new { incidentId = incident.Id, dueBy, note = "群众反映强烈，请于两日内办结并回复。" }), HttpStatusCode.Created);
        Assert.Equal(("open", false, incident.CentreCode), (order.Status, order.Late, order.CentreCode));
        Assert.True((await _kit.GetAsync(incident.Id)).Supervised); // every screen that shows the case can mark it

        // Not a supervisor, not the responsible centre, or twice: refused with the reason.
        var dispatcher = await _kit.ClientAsync("qibin.dispatcher");
        Assert.Equal(HttpStatusCode.Forbidden, (await dispatcher.PostAsJsonAsync("/api/supervision-orders",
            new { incidentId = incident.Id, dueBy, note = "x" })).StatusCode);
        await TestKit.ProblemAsync(await supervisor.PostAsync($"/api/supervision-orders/{order.Id}/acknowledge", null), HttpStatusCode.Forbidden);
        var centre = await _kit.ClientAsync(TestKit.CentreDispatcher(incident));
        var acknowledged = await TestKit.ReadAsync<SupervisionOrderView>(await centre.PostAsync($"/api/supervision-orders/{order.Id}/acknowledge", null),
            HttpStatusCode.OK);
        Assert.Equal(("acknowledged", TestKit.CentreDispatcher(incident)), (acknowledged.Status, acknowledged.AcknowledgedBy));
        await TestKit.ProblemAsync(await centre.PostAsync($"/api/supervision-orders/{order.Id}/acknowledge", null), HttpStatusCode.Conflict);

        var closed = await _kit.GetAsync(incident.Id);
        foreach (var action in new[] { "dispatch", "acknowledge", "arrive", "resolve", "verify", "close" }) closed = await _kit.StepAsync(closed, action);
        Assert.False(closed.Supervised);
        var done = Assert.Single((await supervisor.GetFromJsonAsync<List<SupervisionOrderView>>($"/api/supervision-orders?incidentId={incident.Id}", TestKit.Web))!);
        Assert.Equal(("done", false), (done.Status, done.Late));
        Assert.NotNull(done.DoneAt);
    }

    [Fact]
    public async Task An_order_past_its_date_is_late_and_bad_orders_are_named()
    {
        var incident = await _kit.BuildAsync(IncidentStatus.Accepted, await _kit.FreshPlaceAsync(within: "410611"));
        var supervisor = await _kit.ClientAsync("supervisor");
        var problem = await TestKit.ProblemAsync(await supervisor.PostAsJsonAsync("/api/supervision-orders",
            new { incidentId = incident.Id, dueBy = DateTimeOffset.UtcNow.AddDays(-1), note = " " }), HttpStatusCode.BadRequest);
        Assert.Equal(["dueBy", "note"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        // Another district's supervisor does not see the case at all.
        Assert.Equal(HttpStatusCode.NotFound, (await (await _kit.ClientAsync("supervisor-410621")).PostAsJsonAsync("/api/supervision-orders",
            new { incidentId = incident.Id, dueBy = DateTimeOffset.UtcNow.AddDays(1), note = "督办" })).StatusCode);

        var order = await TestKit.ReadAsync<SupervisionOrderView>(await supervisor.PostAsJsonAsync("/api/supervision-orders",
            new { incidentId = incident.Id, dueBy = DateTimeOffset.UtcNow.AddSeconds(2), note = "限时办结。" }), HttpStatusCode.Created);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var late = await supervisor.GetFromJsonAsync<List<SupervisionOrderView>>("/api/supervision-orders?late=true&status=open", TestKit.Web);
        Assert.Contains(late!, o => o.Id == order.Id && o.Late);
    }
}
