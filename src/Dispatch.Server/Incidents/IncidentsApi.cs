using Microsoft.AspNetCore.Mvc;

namespace Dispatch.Server.Incidents;

/// <summary>The incident routes of docs/api.md: intake, reads, the lifecycle, recommendations and photos.</summary>
public static class IncidentsApi
{
    public static IEndpointRouteBuilder MapIncidents(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/incidents").WithTags("Incidents");
        api.MapPost("/", CreateIncident.Handle).RequireAuthorization(Roles.Can.Report)
            .WithMetadata(new RequestSizeLimitAttribute(CreateIncident.MaxBodyBytes), Security.RateLimits.Intake)
            .Accepts<CreateIncidentRequest>("application/json").Produces<IncidentView>(201);
        api.MapGet("/", ListIncidents.Handle).Produces<IncidentPage>();
        api.MapGet("/{id:long}", GetIncident.Handle).Produces<IncidentView>();
        api.MapPost("/{id:long}/transitions", Transition.Handle).RequireAuthorization(Roles.Can.Report)
            .WithMetadata(new RequestSizeLimitAttribute(64 << 10))
            .Accepts<TransitionRequest>("application/json").Produces<IncidentView>();
        api.MapGet("/{id:long}/recommendations", Recommendations.Handle).RequireAuthorization(Roles.Can.Dispatch).Produces<List<RoleRecommendation>>();
        api.MapPost("/{id:long}/photos", Photos.Upload).RequireAuthorization(Roles.Can.Report)
            .WithMetadata(new RequestSizeLimitAttribute(Photos.MaxBytes + (64 << 10))).DisableAntiforgery()
            .Produces<PhotoView>(201).Produces<PhotoView>(200).ProducesProblem(413, "application/problem+json");
        api.MapPost("/{id:long}/parties", Parties.Post).RequireAuthorization(Roles.Can.Dispatch)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(64 << 10))
            .Accepts<NewParties>("application/json").Produces<IncidentParties>(201);
        api.MapGet("/{id:long}/parties", Parties.Get).Produces<IncidentParties>();
        api.MapGet("/{id:long}/photos", Photos.List).Produces<List<PhotoView>>();
        api.MapGet("/{id:long}/photos/{photoId:long}", Photos.Get).Produces<byte[]>(200, "image/jpeg", "image/png");
        return app;
    }
}
