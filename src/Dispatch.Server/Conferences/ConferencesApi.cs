namespace Dispatch.Server.Conferences;

/// <summary>
/// Case conferences (一评四会): each centre meets on the cases that reached it — 说事评理会 in the
/// village, 综治联席会 in the township, 评议会商会 in the district, 分析研判会 in the city. The agenda
/// is built from the cases escalated to the centre (and added by hand); each case gets a decision —
/// settle here, hand it down (交办) with instructions and a deadline, escalate it further, or close
/// it — taken as the incident's own step in the same transaction; then the minutes.
/// </summary>
public static class ConferencesApi
{
    public static IEndpointRouteBuilder MapConferences(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/conferences").WithTags("Conferences");
        api.MapGet("/", ListConferences.Handle).Produces<List<ConferenceSummary>>();
        api.MapPost("/", CreateConference.Handle).RequireAuthorization(Roles.Can.Dispatch)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(64 << 10))
            .Accepts<NewConference>("application/json").Produces<ConferenceView>(201);
        api.MapGet("/{id:long}", GetConference.Handle).Produces<ConferenceView>();
        api.MapPost("/{id:long}/items", AddItem.Handle).RequireAuthorization(Roles.Can.Dispatch)
            .Accepts<NewItem>("application/json").Produces<ConferenceView>();
        api.MapPost("/{id:long}/decisions", Decide.Handle).RequireAuthorization(Roles.Can.Dispatch)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(64 << 10))
            .Accepts<ConferenceDecision>("application/json").Produces<ConferenceView>();
        api.MapPost("/{id:long}/minutes", RecordMinutes.Handle).RequireAuthorization(Roles.Can.Dispatch)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(256 << 10))
            .Accepts<Minutes>("application/json").Produces<ConferenceView>();
        app.MapGet("/api/hand-downs", ListHandDowns.Handle).WithTags("Conferences").Produces<List<HandDownView>>();
        app.MapGet("/api/escalations", Supervision.ListEscalations.Handle).WithTags("Conferences").Produces<List<Supervision.EscalationView>>();
        return app;
    }

    /// <summary>The conference of a centre's level: "township" → 综治联席会.</summary>
    public static string KindName(string level) => level switch
    {
        "village" => "说事评理会", "township" => "综治联席会", "district" => "评议会商会", _ => "分析研判会",
    };
}
