namespace Dispatch.Server.Exports;

/// <summary>Downloads for the briefing and for other offices: the 考核 figures and the incidents of a period, scoped and masked as the API is.</summary>
public static class ExportsApi
{
    public static IEndpointRouteBuilder MapExports(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/exports").WithTags("Exports");
        api.MapGet("/kpis.xlsx", ExportKpis.Handle).Produces(200, contentType: Workbook.ContentType);
        api.MapGet("/incidents.xlsx", (HttpContext http, NpgsqlDataSource db, Privacy.PersonalData personal, TimeProvider clock, string? from, string? to,
                string? regionCode, CancellationToken ct) => ExportIncidents.Handle("xlsx", http, db, personal, clock, from, to, regionCode, ct))
            .Produces(200, contentType: Workbook.ContentType);
        api.MapGet("/incidents.csv", (HttpContext http, NpgsqlDataSource db, Privacy.PersonalData personal, TimeProvider clock, string? from, string? to,
                string? regionCode, CancellationToken ct) => ExportIncidents.Handle("csv", http, db, personal, clock, from, to, regionCode, ct))
            .Produces(200, contentType: "text/csv");
        return app;
    }
}
