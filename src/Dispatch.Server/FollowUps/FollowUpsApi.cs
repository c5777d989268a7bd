namespace Dispatch.Server.FollowUps;

/// <summary>
/// 满意度回访: after a closure the platform keeps a call to the reporter on the list of the case's
/// area; a dispatcher records 满意 / 基本满意 / 不满意 / 联系不上, and 不满意 reopens the case to its
/// centre. Rates per child region and per centre. All of it for dispatchers, supervisors and admins,
/// bounded by their area.
/// </summary>
public static class FollowUpsApi
{
    public static IEndpointRouteBuilder MapFollowUps(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/follow-ups").WithTags("FollowUps").RequireAuthorization(Roles.Can.Dispatch);
        api.MapGet("/", ListFollowUps.Handle).Produces<FollowUpPage>();
        api.MapGet("/rates", GetRates.Handle).Produces<RatesView>();
        api.MapPost("/{id:long}", RecordFollowUp.Handle).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(16 << 10))
            .Accepts<FollowUpResult>("application/json").Produces<FollowUpView>();
        return app;
    }

    public static readonly string[] Results = ["satisfied", "basic", "unsatisfied", "unreachable"];

    /// <summary>The list's columns over <c>follow_up f</c>, <c>incident i</c> and <c>category c</c>, as <see cref="ListFollowUps.Row"/> reads them.</summary>
    public const string Columns = """
        f.id, f.incident_id, c.name AS category_name, left(i.description, 200) AS description, f.due_on, f.status, f.result, f.note,
        f.done_by, f.done_at, f.centre_code, i.reporter_name, i.reporter_phone
        """;
}
