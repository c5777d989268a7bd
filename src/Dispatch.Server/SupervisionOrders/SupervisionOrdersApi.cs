namespace Dispatch.Server.SupervisionOrders;

/// <summary>
/// 督办: a supervisor orders a case handled by a date with a note; the responsible centre
/// acknowledges; the order is done when the case is closed, late when that came after its date. Every
/// screen showing the case marks it (<c>supervised</c> on incidents and their live events).
/// </summary>
public static class SupervisionOrdersApi
{
    public static IEndpointRouteBuilder MapSupervisionOrders(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/supervision-orders").WithTags("Supervision orders");
        api.MapGet("/", ListOrders.Handle).Produces<List<SupervisionOrderView>>();
        api.MapPost("/", OrderSupervision.Handle).RequireAuthorization(p => p.RequireRole(Roles.Supervisor, Roles.Admin))
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(16 << 10))
            .Accepts<NewSupervisionOrder>("application/json").Produces<SupervisionOrderView>(201);
        api.MapPost("/{id:long}/acknowledge", AcknowledgeOrder.Handle).RequireAuthorization(Roles.Can.Dispatch).Produces<SupervisionOrderView>();
        return app;
    }
}
