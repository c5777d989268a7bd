namespace Dispatch.Server.Mediation;

/// <summary>
/// 调解: the outcome of a dispute's mediation (by 人民调解, 行政调解, 司法调解 or 行业调解); a failed one
/// climbs to the centre above, an agreement is checked by return visits (回访) at
/// <c>Supervision:ReturnVisitDays</c> (7 and 30) — and a visit that finds the dispute alive reopens it.
/// </summary>
public static class MediationApi
{
    public static IEndpointRouteBuilder MapMediation(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/incidents/{id:long}/mediation", RecordMediation.Handle).WithTags("Mediation")
            .RequireAuthorization(Roles.Can.Report).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(16 << 10))
            .Accepts<MediationOutcome>("application/json").Produces<MediationView>(201);
        app.MapGet("/api/incidents/{id:long}/mediation", GetMediation.Handle).WithTags("Mediation").Produces<MediationView>();
        var visits = app.MapGroup("/api/mediation-visits").WithTags("Mediation");
        visits.MapGet("/", ListVisits.Handle).Produces<List<VisitView>>();
        visits.MapPost("/{id:long}", RecordVisit.Handle).RequireAuthorization(Roles.Can.Report)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(16 << 10))
            .Accepts<VisitFinding>("application/json").Produces<VisitView>();
        return app;
    }

    /// <summary>"judicial" → 司法调解.</summary>
    public static string NameOf(string mediatedBy) => mediatedBy switch
    {
        "people" => "人民调解", "administrative" => "行政调解", "judicial" => "司法调解", _ => "行业调解",
    };
}
