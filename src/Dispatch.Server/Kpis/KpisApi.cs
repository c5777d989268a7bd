namespace Dispatch.Server.Kpis;

/// <summary>
/// 考核: assessment figures for any period of Beijing days, by region, centre and person, with
/// rankings and the incidents behind every figure — all computed in SQL from the incidents and
/// their steps, never kept as counters (docs/api.md, "KPIs").
/// </summary>
public static class KpisApi
{
    public static IEndpointRouteBuilder MapKpis(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/kpis").WithTags("KPIs");
        api.MapGet("/", GetRegionKpis.Handle).Produces<KpiReport>();
        api.MapGet("/centres", GetCentreKpis.Handle).Produces<List<CentreFigures>>();
        api.MapGet("/people", GetPeopleKpis.Handle).Produces<List<PersonFigures>>();
        api.MapGet("/ranking", GetRanking.Handle).Produces<Ranking>();
        api.MapGet("/incidents", ListKpiIncidents.Handle).Produces<List<KpiIncident>>();
        return app;
    }
}
