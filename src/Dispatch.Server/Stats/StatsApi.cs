namespace Dispatch.Server.Stats;

/// <summary>
/// What the wall display's cards and charts show, counted by PostgreSQL over the caller's region
/// (the same prefix rule as every other read), with days and hours in Beijing time.
/// </summary>
public static class StatsApi
{
    public static IEndpointRouteBuilder MapStats(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/stats").WithTags("Stats");
        api.MapGet("/kpis", GetKpis.Handle).Produces<KpiView>();
        api.MapGet("/trends", GetTrends.Handle).Produces<TrendsView>();
        api.MapGet("/breakdown", GetBreakdown.Handle).Produces<BreakdownView>();
        return app;
    }

    /// <summary>The Beijing midnight that starts the day <paramref name="now"/> falls in.</summary>
    public static DateTimeOffset BeijingMidnight(DateTimeOffset now)
    {
        var local = now.ToOffset(Clock.Beijing);
        return new DateTimeOffset(local.Date, Clock.Beijing);
    }

    /// <summary>Statuses whose SLA clock is running: the work is not done yet.</summary>
    public const string OpenStatuses = "('reported', 'accepted', 'dispatched', 'acknowledged', 'on_scene', 'escalated')";
}
