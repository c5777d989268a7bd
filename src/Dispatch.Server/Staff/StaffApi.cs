namespace Dispatch.Server.Staff;

/// <summary>Field staff's positions: reported by their phones, read by dispatchers and walls.</summary>
public static class StaffApi
{
    public static IEndpointRouteBuilder MapStaff(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/staff").WithTags("Staff");
        api.MapPost("/me/position", ReportPosition.Handle)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(4 << 10))
            .Accepts<PositionReport>("application/json").Produces(204);
        api.MapGet("/positions", GetPositions.Handle).Produces<List<StaffPosition>>();
        return app;
    }
}
