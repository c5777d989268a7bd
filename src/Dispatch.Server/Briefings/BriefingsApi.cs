using Dispatch.Server.Kpis;

namespace Dispatch.Server.Briefings;

/// <summary>研判会 briefings of an area for a day, a week or a month: as JSON, as a printable page, as a PDF (docs/api.md, "Briefings").</summary>
public static class BriefingsApi
{
    public static IServiceCollection AddBriefings(this IServiceCollection services) => services.AddSingleton<PdfPrinter>();

    public static IEndpointRouteBuilder MapBriefings(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/briefings").WithTags("Briefings");
        api.MapGet("/", Json).Produces<BriefingView>();
        api.MapGet("/page", Page).Produces(200, contentType: "text/html");
        api.MapGet("/pdf", Pdf).Produces(200, contentType: "application/pdf").ProducesProblem(503);
        return app;
    }

    static async Task<(BriefingView? View, Area? Area, Period? Period, IResult? Problem)> LoadAsync(NpgsqlConnection conn, HttpContext http, TimeProvider clock,
        string? period, string? at, string? regionCode, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (area, problem) = Area.Of(http.Caller(), regionCode);
        if (area is null) return (null, null, null, problem);
        var (span, bad) = Briefing.PeriodOf(period, at, now);
        if (span is null) return (null, null, null, bad);
        var view = await Briefing.LoadAsync(conn, area, period ?? "week", span, now, ct);
        return view is null ? (null, null, null, Problems.NotFound($"没有代码为 {area.Code} 的区域。")) : (view, area, span, null);
    }

    static async Task<IResult> Json(HttpContext http, NpgsqlDataSource db, TimeProvider clock, string? period, string? at, string? regionCode, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var (view, _, _, problem) = await LoadAsync(conn, http, clock, period, at, regionCode, ct);
        return view is null ? problem! : TypedResults.Ok(view);
    }

    static async Task<IResult> Page(HttpContext http, NpgsqlDataSource db, TimeProvider clock, string? period, string? at, string? regionCode, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var (view, area, span, problem) = await LoadAsync(conn, http, clock, period, at, regionCode, ct);
        if (view is null) return problem!;
        return TypedResults.Content(await BriefingPage.RenderAsync(conn, view, area!, span!, ct), "text/html; charset=utf-8");
    }

    static async Task<IResult> Pdf(HttpContext http, NpgsqlDataSource db, TimeProvider clock, PdfPrinter printer, string? period, string? at, string? regionCode,
        CancellationToken ct)
    {
        if (!printer.Available)
            return Problems.Unavailable("服务器未安装 Chromium，无法生成 PDF；请使用可打印网页 /api/briefings/page（浏览器打印即可）。");
        string html;
        BriefingView view;
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            var (loaded, area, span, problem) = await LoadAsync(conn, http, clock, period, at, regionCode, ct);
            if (loaded is null) return problem!;
            view = loaded;
            html = await BriefingPage.RenderAsync(conn, view, area!, span!, ct);
        }
        var pdf = await printer.PrintAsync(html, ct);
        return TypedResults.File(pdf, "application/pdf", $"研判简报_{view.RegionName}_{view.From:yyyyMMdd}-{view.To:yyyyMMdd}.pdf");
    }
}
