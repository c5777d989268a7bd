using System.Globalization;
using System.Net;
using System.Text;
using Dispatch.Server.Kpis;

namespace Dispatch.Server.Briefings;

/// <summary>
/// The briefing as a printable page (A4, print CSS), in Chinese as the meeting reads it; the PDF is
/// this page printed by Chromium. Self-contained — no script, no fetch, fonts from the system — so
/// that it prints the same offline as on screen. The hot-spot map is SVG cut by PostGIS.
/// </summary>
public static class BriefingPage
{
    const string MapSql = """
        WITH counts AS (
            SELECT i.village_code AS code, count(*) AS n FROM incident i
            WHERE starts_with(i.grid_code, @prefix) AND i.created_at >= @start AND i.created_at < @end GROUP BY i.village_code),
        villages AS (
            SELECT v.code, v.geom_3857, coalesce(c.n, 0) AS n FROM region v LEFT JOIN counts c ON c.code = v.code
            WHERE v.level = 'village' AND starts_with(v.code, @prefix) AND v.geom_3857 IS NOT NULL)
        SELECT (SELECT ST_XMin(ST_Extent(geom_3857)) FROM villages) AS xmin, (SELECT ST_YMax(ST_Extent(geom_3857)) FROM villages) AS ymax,
               (SELECT ST_XMax(ST_Extent(geom_3857)) - ST_XMin(ST_Extent(geom_3857)) FROM villages) AS width,
               (SELECT ST_YMax(ST_Extent(geom_3857)) - ST_YMin(ST_Extent(geom_3857)) FROM villages) AS height,
               code, n, ST_AsSVG(ST_SimplifyPreserveTopology(geom_3857, 40), 1, 0) AS path
        FROM villages ORDER BY code
        """;

    sealed record Shape(double? Xmin, double? Ymax, double? Width, double? Height, string Code, long N, string? Path);

    internal static async Task<string> RenderAsync(NpgsqlConnection conn, BriefingView b, Area area, Period period, CancellationToken ct)
    {
        var shapes = (await conn.QueryAsync<Shape>(new CommandDefinition(MapSql, new { prefix = area.Prefix, start = period.Start, end = period.End },
            cancellationToken: ct))).ToList();
        var f = b.Figures;
        var p = b.Previous;
        var html = new StringBuilder();
        html.Append($"""
            <!doctype html>
            <html lang="zh-CN"><head><meta charset="utf-8">
            <title>{E(b.RegionName)} {KindName(b.Kind)}研判简报 {b.From:yyyy-MM-dd}—{b.To:yyyy-MM-dd}</title>
            <style>{Css}</style></head><body>
            <header><h1>{E(b.RegionName)}社会治理{KindName(b.Kind)}研判简报</h1>
            <p class="meta">统计期间 {b.From:yyyy年M月d日} — {b.To:yyyy年M月d日} · 生成于 {b.AsOf:yyyy-MM-dd HH:mm}（北京时间） · 鹤壁市域社会治理指挥调度平台</p></header>
            <section><h2>一、主要指标</h2><table class="kpis"><thead><tr><th>指标</th><th>本期</th><th>上期</th><th>说明</th></tr></thead><tbody>
            {Row("上报事件", N(f.Reported), N(p.Reported), "期间内上报的事件数")}
            {Row("受理及时率", Pct(f.AcceptOnTimeRate), Pct(p.AcceptOnTimeRate), $"按时受理 {f.AcceptedOnTime} / {f.AcceptJudged}")}
            {Row("按期办结率", Pct(f.DueRate), Pct(p.DueRate), $"到期时限 {f.Due} 个，按期办结 {f.DueMet} 个")}
            {Row("办结及时率", Pct(f.ResolveOnTimeRate), Pct(p.ResolveOnTimeRate), $"期间办结 {f.Resolved} 件")}
            {Row("返工率", Pct(f.ReworkRate), Pct(p.ReworkRate), $"返工 {f.Reworks} 件")}
            {Row("到场用时（中位）", Minutes(f.ResponseMedianMinutes), Minutes(p.ResponseMedianMinutes), $"P90 {Minutes(f.ResponseP90Minutes)}")}
            {Row("办结用时（中位）", Minutes(f.ResolutionMedianMinutes), Minutes(p.ResolutionMedianMinutes), $"P90 {Minutes(f.ResolutionP90Minutes)}")}
            {Row("督办", N(f.Supervised), N(p.Supervised), $"超期 {f.SupervisedLate} 件；当前未办结督办 {b.SupervisionOpen} 件")}
            {Row("上报升级 / 交办", $"{f.Escalations} / {f.HandDowns}", $"{p.Escalations} / {p.HandDowns}", "逐级上报与上级交办")}
            {Row("群众满意率", Pct(f.SatisfactionRate), Pct(p.SatisfactionRate), $"回访应答 {f.FollowUpsAnswered} 人，满意（含基本满意）{f.FollowUpsSatisfied} 人")}
            </tbody></table></section>
            """);

        // The days: reported and closed, as bars scaled to the busiest day.
        var peak = Math.Max(1, b.Days.Count == 0 ? 1 : b.Days.Max(d => Math.Max(d.Reported, d.Closed)));
        html.Append("<section><h2>二、事件走势</h2><table class=\"days\"><thead><tr><th>日期</th><th>上报</th><th>结案</th><th></th></tr></thead><tbody>");
        foreach (var d in b.Days)
            html.Append($"<tr><td>{d.Day:M月d日}</td><td class=\"n\">{d.Reported}</td><td class=\"n\">{d.Closed}</td><td class=\"bar\">" +
                $"<i class=\"r\" style=\"width:{Share(d.Reported, peak)}%\"></i><i class=\"c\" style=\"width:{Share(d.Closed, peak)}%\"></i></td></tr>");
        html.Append("</tbody></table></section>");

        html.Append("<section class=\"two\"><div><h2>三、主要类别</h2><table><thead><tr><th>类别</th><th>件数</th><th>占比</th></tr></thead><tbody>");
        foreach (var c in b.Categories)
            html.Append($"<tr><td>{E(c.Name)}</td><td class=\"n\">{c.Reported}</td><td class=\"n\">{Pct(f.Reported == 0 ? null : (double)c.Reported / f.Reported)}</td></tr>");
        if (b.Categories.Count == 0) html.Append("<tr><td colspan=\"3\">本期无上报</td></tr>");
        html.Append("</tbody></table></div><div><h2>四、热点村（社区）</h2><table><thead><tr><th>村（社区）</th><th>件数</th></tr></thead><tbody>");
        foreach (var h in b.HotSpots) html.Append($"<tr><td>{E(h.Name)}</td><td class=\"n\">{h.Reported}</td></tr>");
        if (b.HotSpots.Count == 0) html.Append("<tr><td colspan=\"2\">本期无上报</td></tr>");
        html.Append("</tbody></table></div></section>");
        html.Append(Map(shapes));

        html.Append($"<section><h2>五、预警</h2><p>本期发出预警 {b.AlertsByLevel.Values.Sum()} 条：");
        html.AppendJoin("，", new[] { ("red", "红色"), ("orange", "橙色"), ("yellow", "黄色"), ("blue", "蓝色") }
            .Select(l => $"{l.Item2} {b.AlertsByLevel.GetValueOrDefault(l.Item1)}"));
        html.Append("。</p>");
        if (b.Alerts.Count > 0)
        {
            html.Append("<ul>");
            foreach (var a in b.Alerts) html.Append($"<li><b class=\"lv {a.Level}\">{LevelName(a.Level)}</b> {E(a.Title)} <small>{a.RaisedAt:M月d日 HH:mm}</small></li>");
            html.Append("</ul>");
        }
        html.Append("</section>");

        html.Append($"<section><h2>六、超期未办结</h2><p>截至生成时，超期未办结事件 {b.OverdueCount} 件{(b.OverdueCount > b.Overdue.Count ? $"，以下为超期最久的 {b.Overdue.Count} 件" : "")}。</p>");
        if (b.Overdue.Count > 0)
        {
            html.Append("<table><thead><tr><th>编号</th><th>类别</th><th>负责中心</th><th>时限</th><th>超期</th></tr></thead><tbody>");
            foreach (var o in b.Overdue)
                html.Append($"<tr><td>#{o.Id}</td><td>{E(o.CategoryName)}</td><td>{E(o.CentreName)}</td><td>{o.DueAt:M月d日 HH:mm}</td><td class=\"n\">{Hours(o.HoursOver)}</td></tr>");
            html.Append("</tbody></table>");
        }
        html.Append("</section><footer>指标口径见平台接口文档“KPIs（考核）”：按期办结率 = 期间内到期的处置时限中按时办结的比例；受理及时率 = 期间内受理中在受理时限内受理的比例。</footer></body></html>");
        return html.ToString();
    }

    static string Map(List<Shape> shapes)
    {
        if (shapes.Count == 0 || shapes[0].Width is not { } width || shapes[0].Height is not { } height) return "";
        var max = Math.Max(1, shapes.Max(s => s.N));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<section class=\"map\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{shapes[0].Xmin:0} {-shapes[0].Ymax:0} {width:0} {height:0}\" preserveAspectRatio=\"xMidYMid meet\">");
        foreach (var s in shapes.Where(s => s.Path is not null))
            svg.Append($"<path d=\"{s.Path}\" fill=\"{Colour(s.N, max)}\"><title>{s.Code} {s.N}</title></path>");
        svg.Append("</svg><p class=\"legend\"><i style=\"background:#eef2f6\"></i>无上报 <i style=\"background:#fcd9b6\"></i>较少 <i style=\"background:#f59e5b\"></i>较多 <i style=\"background:#c2410c\"></i>最多</p></section>");
        return svg.ToString();
    }

    static string Colour(long n, long max) => n == 0 ? "#eef2f6" : n * 3 <= max ? "#fcd9b6" : n * 3 <= 2 * max ? "#f59e5b" : "#c2410c";

    static string Row(string name, string now, string before, string note) =>
        $"<tr><td>{name}</td><td class=\"n\"><b>{now}</b></td><td class=\"n\">{before}</td><td class=\"note\">{E(note)}</td></tr>";

    static string E(string text) => WebUtility.HtmlEncode(text);
    static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
    public static string Pct(double? rate) => rate is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";
    static string Minutes(double? m) => m switch { null => "—", < 120 => $"{m:0} 分钟", < 2880 => $"{m / 60:0.0} 小时", _ => $"{m / 1440:0.0} 天" };
    static string Hours(double h) => h < 48 ? $"{h:0.0} 小时" : $"{h / 24:0.0} 天";
    static int Share(long n, long peak) => (int)Math.Round(100.0 * n / peak);
    static string KindName(string kind) => kind switch { "day" => "每日", "month" => "月度", _ => "每周" };
    static string LevelName(string level) => level switch { "red" => "红色", "orange" => "橙色", "yellow" => "黄色", _ => "蓝色" };

    const string Css = """
        @page { size: A4; margin: 14mm 14mm 16mm; }
        * { box-sizing: border-box; }
        body { font-family: 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif; color: #1f2937; font-size: 10.5pt; margin: 0; }
        header { border-bottom: 2px solid #b91c1c; margin-bottom: 10px; }
        h1 { font-size: 18pt; margin: 0 0 4px; color: #b91c1c; text-align: center; letter-spacing: 1px; }
        .meta { text-align: center; color: #6b7280; font-size: 9pt; margin: 0 0 8px; }
        h2 { font-size: 12pt; margin: 12px 0 6px; border-left: 4px solid #b91c1c; padding-left: 6px; }
        table { width: 100%; border-collapse: collapse; font-size: 9.5pt; }
        th, td { border: 1px solid #d1d5db; padding: 3px 6px; text-align: left; }
        th { background: #f3f4f6; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; }
        td.note { color: #4b5563; font-size: 8.5pt; }
        .days td.bar { width: 45%; }
        .bar i { display: block; height: 5px; margin: 1px 0; }
        .bar i.r { background: #2563eb; } .bar i.c { background: #16a34a; }
        section { break-inside: avoid; }
        .two { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
        .map svg { width: 100%; height: 95mm; }
        .map path { stroke: #ffffff; stroke-width: 60; }
        .legend { font-size: 8.5pt; color: #4b5563; }
        .legend i { display: inline-block; width: 12px; height: 10px; margin: 0 3px 0 10px; border: 1px solid #d1d5db; }
        .lv { padding: 0 4px; border-radius: 3px; color: #fff; font-weight: normal; font-size: 8.5pt; }
        .lv.red { background: #dc2626; } .lv.orange { background: #ea580c; } .lv.yellow { background: #ca8a04; } .lv.blue { background: #2563eb; }
        ul { margin: 4px 0; padding-left: 18px; }
        footer { margin-top: 14px; font-size: 8pt; color: #6b7280; border-top: 1px solid #d1d5db; padding-top: 4px; }
        @media screen { body { max-width: 210mm; margin: 12px auto; padding: 0 12mm; } }
        """;
}
