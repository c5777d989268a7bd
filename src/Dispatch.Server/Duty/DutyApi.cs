
namespace Dispatch.Server.Duty;

/// <summary>
/// 排班: who is on duty now (the console's "在岗" list), the phone's duty switch, and the roster of
/// shifts a centre keeps for its area. The rule itself lives in SQL (<c>duty_of</c>,
/// db/migrations/0012_duty.sql) so that recommendations filter by exactly what this shows.
/// </summary>
public static class DutyApi
{
    public static IEndpointRouteBuilder MapDuty(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/duty").WithTags("Duty");
        api.MapGet("/", GetDuty.Handle).Produces<DutyBoard>();
        api.MapPut("/me", SetMyDuty.Handle)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(1 << 10))
            .Accepts<DutySwitch>("application/json").Produces<DutyState>();
        api.MapGet("/shifts", ListShifts.Handle).Produces<List<ShiftView>>();
        api.MapPost("/shifts", AddShifts.Handle).RequireAuthorization(Roles.Can.Dispatch)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(256 << 10))
            .Accepts<NewShifts>("application/json").Produces<List<ShiftView>>(201);
        api.MapDelete("/shifts/{id:long}", RemoveShift.Handle).RequireAuthorization(Roles.Can.Dispatch).Produces(204);
        return app;
    }
}
