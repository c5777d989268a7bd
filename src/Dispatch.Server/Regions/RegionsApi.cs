namespace Dispatch.Server.Regions;

/// <summary>The geography reads of API.md: the region tree, grids, service points and locating.</summary>
public static class RegionsApi
{
    public static IEndpointRouteBuilder MapRegions(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Regions");
        api.MapGet("/regions/{code}", GetRegion.Handle);
        api.MapGet("/grids", GetGrids.Handle);
        api.MapGet("/service-points", GetServicePoints.Handle);
        api.MapGet("/locate", Locate.Handle);
        return app;
    }
}
