namespace Dispatch.Server.ThreeZeros;

/// <summary>The 三零 board of docs/api.md: villages and registered units by period, the drill-down, the trend and the map layer.</summary>
public static class ThreeZerosApi
{
    public static IEndpointRouteBuilder MapThreeZeros(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/three-zeros").WithTags("ThreeZeros");
        api.MapGet("/", GetBoard.Handle).Produces<ThreeZeroBoard>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        api.MapGet("/history", GetHistory.Handle).Produces<ThreeZeroHistory>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        api.MapGet("/units", GetUnits.Handle).Produces<ThreeZeroUnits>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        api.MapGet("/map", GetMap.Handle).Produces<string>(200, "application/geo+json").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        api.MapGet("/{villageCode}/incidents", GetVillageIncidents.Handle).Produces<ThreeZeroVillageIncidents>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        return app;
    }
}
