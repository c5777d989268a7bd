namespace Dispatch.Server.Regions;

/// <summary>The geography reads of docs/api.md: the region tree, grids, service points and locating.</summary>
public static class RegionsApi
{
    public static IEndpointRouteBuilder MapRegions(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Regions");
        api.MapGet("/regions/{code}", GetRegion.Handle).Produces<RegionView>();
        api.MapGet("/grids", GetGrids.Handle).Produces<string>(200, "application/geo+json");
        api.MapGet("/service-points", GetServicePoints.Handle).Produces<string>(200, "application/geo+json");
        api.MapGet("/locate", Locate.Handle).Produces<GridPlace>().ProducesProblem(422);
        return app;
    }
}
