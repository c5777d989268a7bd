using ClosedXML.Excel;
using Dispatch.Server.Kpis;

namespace Dispatch.Server.Exports;

/// <summary>
/// The 考核 figures of a period as an Excel workbook — the same numbers as GET /api/kpis and
/// /api/kpis/centres: 汇总 (the area), 下级区域 (each region one level down), 综治中心 (by centre).
/// </summary>
public static class ExportKpis
{
    static Workbook.Column<(string Code, string Name, Figures F)>[] FigureColumns() =>
    [
        new("代码", r => r.Code, Width: 16), new("名称", r => r.Name, Width: 22),
        new("上报", r => r.F.Reported), new("受理", r => r.F.Accepted), new("按时受理", r => r.F.AcceptedOnTime),
        new("受理及时率", r => r.F.AcceptOnTimeRate, "0.0%"), new("办结", r => r.F.Resolved), new("按时办结", r => r.F.ResolvedOnTime),
        new("办结及时率", r => r.F.ResolveOnTimeRate, "0.0%"), new("到期时限", r => r.F.Due), new("按期办结", r => r.F.DueMet),
        new("按期办结率", r => r.F.DueRate, "0.0%"), new("返工", r => r.F.Reworks), new("返工率", r => r.F.ReworkRate, "0.0%"),
        new("到场用时中位数（分钟）", r => r.F.ResponseMedianMinutes, "0.0", 14), new("到场用时P90（分钟）", r => r.F.ResponseP90Minutes, "0.0", 14),
        new("办结用时中位数（分钟）", r => r.F.ResolutionMedianMinutes, "0.0", 14), new("办结用时P90（分钟）", r => r.F.ResolutionP90Minutes, "0.0", 14),
        new("督办", r => r.F.Supervised), new("督办超期", r => r.F.SupervisedLate), new("上报升级", r => r.F.Escalations), new("交办", r => r.F.HandDowns),
        new("回访应答", r => r.F.FollowUpsAnswered), new("满意（含基本满意）", r => r.F.FollowUpsSatisfied, Width: 14), new("满意率", r => r.F.SatisfactionRate, "0.0%"),
        new("走访户数", r => r.F.VisitedHouseholds), new("登记户数", r => r.F.RegisteredHouseholds), new("走访覆盖率", r => r.F.VisitCoverageRate, "0.0%"),
    ];

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, TimeProvider clock, string? from, string? to, string? regionCode,
        CancellationToken ct)
    {
        var (scope, problem) = KpiScope.Of(http, clock, from, to, regionCode);
        if (scope is null) return problem!;
        var (area, period, now) = scope;
        if (await GetRegionKpis.LoadAsync(db, area, period, now, ct) is not { } report) return Problems.NotFound($"没有代码为 {area.Code} 的区域。");
        await using var conn = await db.OpenConnectionAsync(ct);
        var centres = await GetCentreKpis.LoadAsync(conn, area, period, now, ct);

        using var book = new XLWorkbook();
        var columns = FigureColumns();
        Workbook.AddSheet(book, "汇总", columns, [(report.RegionCode, report.RegionName, report.Figures)]);
        Workbook.AddSheet(book, "下级区域", columns, report.Children.Select(c => (c.Code, c.Name, c.Figures)));
        Workbook.AddSheet(book, "综治中心", columns, centres.Select(c => (c.CentreCode, c.CentreName, c.Figures)));
        var name = $"考核指标_{report.RegionName}_{period.From:yyyyMMdd}-{period.To:yyyyMMdd}.xlsx";
        return TypedResults.File(Workbook.Bytes(book), Workbook.ContentType, name);
    }
}
