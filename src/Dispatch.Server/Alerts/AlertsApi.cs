namespace Dispatch.Server.Alerts;

/// <summary>The early-warning routes of docs/api.md: alerts, their CAP form, their lifecycle, their precision, snoozes over a region, and a scoring run on demand.</summary>
public static class AlertsApi
{
    public static IEndpointRouteBuilder MapAlerts(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/alerts").WithTags("Alerts");
        api.MapGet("/", GetAlerts.List).Produces<AlertPage>();
        api.MapGet("/{id:long}", GetAlerts.Get).Produces<AlertView>();
        api.MapGet("/precision", AlertPrecision.Get).Produces<AlertPrecisionView>();
        api.MapGet("/{id:long}.cap", AlertCap.Get).Produces<string>(200, "application/cap+xml");
        api.MapPost("/{id:long}/transitions", AlertTransition.Handle).RequireAuthorization(Roles.Can.Dispatch)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(16 << 10))
            .Accepts<AlertTransitionRequest>("application/json").Produces<AlertView>();
        // Scores now (the scheduled run does the same every five minutes); answers what it found.
        // The run covers the whole city, so only the city's centre may start one.
        api.MapPost("/score", async (HttpContext http, ScoreAlerts score, CancellationToken ct) =>
                http.Caller().Level == "city"
                    ? Results.Ok(await score.RunAsync(ct))
                    : Problems.Forbidden("评分覆盖全市，只有市级指挥中心可以立即发起；各县区、乡镇的预警每五分钟自动更新。"))
            .RequireAuthorization(Roles.Can.Dispatch).Produces<ScoreSummary>();

        var snoozes = app.MapGroup("/api/alert-snoozes").WithTags("Alerts");
        snoozes.MapGet("/", AlertSnoozes.List).Produces<List<AlertSnoozeView>>();
        snoozes.MapPost("/", AlertSnoozes.Create).RequireAuthorization(Roles.Can.Dispatch)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(16 << 10))
            .Accepts<AlertSnoozeRequest>("application/json").Produces<AlertSnoozeView>(201);
        snoozes.MapDelete("/{id:long}", AlertSnoozes.End).RequireAuthorization(Roles.Can.Dispatch).Produces(204);
        return app;
    }
}
