namespace Dispatch.Server.RiskAssessments;

/// <summary>
/// The 一评 register (社会稳定风险评估): major decisions and projects of the 11 kinds, with place,
/// risk level, result and status. Read by the centres, supervisors, walls and auditors of the area;
/// written by its dispatchers, supervisors and admins (<see cref="Roles.Can.Dispatch"/>): a centre
/// keeps the register of its area, supervisors check it. One carried out without a passed
/// assessment is flagged and raises a red alert (<see cref="UnassessedAlert"/>).
/// </summary>
public static class RiskAssessmentsApi
{
    public static IEndpointRouteBuilder MapRiskAssessments(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/risk-assessments").WithTags("RiskAssessments");
        api.MapGet("/", ListRiskAssessments.List).Produces<RiskAssessmentPage>();
        api.MapGet("/kinds", ListRiskAssessments.Kinds).Produces<IReadOnlyList<RiskKind>>();
        api.MapGet("/{id:long}", ListRiskAssessments.Get).Produces<RiskAssessmentView>();
        api.MapPost("/", CreateRiskAssessment.Handle).RequireAuthorization(Roles.Can.Dispatch)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(32 << 10))
            .Accepts<RiskAssessmentInput>("application/json").Produces<RiskAssessmentView>(201);
        api.MapPut("/{id:long}", UpdateRiskAssessment.Handle).RequireAuthorization(Roles.Can.Dispatch)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(32 << 10))
            .Accepts<RiskAssessmentInput>("application/json").Produces<RiskAssessmentView>();
        return app;
    }
}
