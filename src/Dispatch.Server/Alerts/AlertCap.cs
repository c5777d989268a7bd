using System.Globalization;
using System.Xml.Linq;
using NetTopologySuite.Geometries;

namespace Dispatch.Server.Alerts;

/// <summary>
/// An alert as OASIS CAP 1.2 (valid against the standard's schema), for other agencies' systems:
/// times in Beijing time with their offset, the level as severity and urgency, the evidence as
/// parameters, and the area as the convex hull of the alert's grids (CAP polygons are
/// "latitude,longitude" pairs, closed) with the region's statistical code as geocode.
/// </summary>
public static class AlertCap
{
    static readonly XNamespace Cap = "urn:oasis:names:tc:emergency:cap:1.2";

    sealed record Area(Geometry Hull, string Name);

    public static async Task<IResult> Get(long id, HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        var caller = http.Caller();
        if (caller.Is(Roles.Field)) return Problems.Forbidden("外勤账号不查看预警。");
        var alert = await GetAlerts.LoadAsync(db, id, caller, ct);
        if (alert is null) return Problems.NotFound($"没有编号为 {id} 的预警，或它不在您的辖区内。");

        await using var conn = await db.OpenConnectionAsync(ct);
        var area = await conn.QuerySingleAsync<Area>(new CommandDefinition("""
            SELECT ST_ConvexHull(ST_Collect(g.geom)) AS hull,
                   coalesce((SELECT name FROM region WHERE code = @region), (SELECT name FROM grid WHERE code = @region), @region) AS name
            FROM grid g WHERE g.code = ANY (@grids)
            """, new { grids = alert.GridCodes.ToArray(), region = alert.RegionCode }, cancellationToken: ct));
        var hull = area.Hull as Polygon ?? (Polygon)area.Hull.Buffer(0.0005);
        return Results.Text(Document(alert, hull, area.Name).ToString(SaveOptions.None), "application/cap+xml; charset=utf-8");
    }

    public static XDocument Document(AlertView a, Polygon hull, string areaName)
    {
        var (severity, urgency) = a.Level switch
        {
            "red" => ("Extreme", "Immediate"),
            "orange" => ("Severe", "Immediate"),
            "yellow" => ("Moderate", "Expected"),
            _ => ("Minor", "Expected"),
        };
        var certainty = a.Detector switch
        {
            "repeat-place" or "repeat-parties" or "three-zero-change" => "Observed",
            "expectation-based-poisson-scan" or "space-time-permutation-scan" or "nb-cusum" or "ewma" => "Likely",
            _ => "Possible",
        };
        var msgType = a.Status == "closed" ? "Cancel" : a.Version > 1 ? "Update" : "Alert";
        var polygon = string.Join(" ", hull.ExteriorRing.Coordinates.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Y:0.######},{c.X:0.######}")));
        XElement Parameter(string name, object? value) => new(Cap + "parameter", new XElement(Cap + "valueName", name), new XElement(Cap + "value", value));

        return new XDocument(new XDeclaration("1.0", "utf-8", null),
            new XElement(Cap + "alert",
                new XElement(Cap + "identifier", $"cn.hebi.dispatch.alert.{a.Id}.{a.Version}"),
                new XElement(Cap + "sender", "dispatch@shzl.hebi.gov.cn"),
                new XElement(Cap + "sent", Time(a.UpdatedAt)),
                new XElement(Cap + "status", "Actual"),
                new XElement(Cap + "msgType", msgType),
                new XElement(Cap + "scope", "Restricted"),
                new XElement(Cap + "restriction", "鹤壁市社会治理指挥调度平台内部使用"),
                msgType == "Alert" ? null : new XElement(Cap + "references", $"dispatch@shzl.hebi.gov.cn,cn.hebi.dispatch.alert.{a.Id}.1,{Time(a.RaisedAt)}"),
                new XElement(Cap + "info",
                    new XElement(Cap + "language", "zh-CN"),
                    new XElement(Cap + "category", "Security"),
                    new XElement(Cap + "event", EventName(a.Detector)),
                    new XElement(Cap + "urgency", urgency),
                    new XElement(Cap + "severity", severity),
                    new XElement(Cap + "certainty", certainty),
                    new XElement(Cap + "senderName", "鹤壁市社会治理综合指挥中心"),
                    new XElement(Cap + "headline", $"【{a.LevelName}预警】{a.Title}"),
                    new XElement(Cap + "description", a.Summary),
                    Parameter("detector", a.Detector),
                    Parameter("level", a.Level),
                    Parameter("window", $"{a.WindowFrom:yyyy-MM-dd}/{a.WindowTo:yyyy-MM-dd}"),
                    a.Observed is { } o ? Parameter("observed", o.ToString("0.##", CultureInfo.InvariantCulture)) : null,
                    a.Expected is { } e ? Parameter("expected", e.ToString("0.##", CultureInfo.InvariantCulture)) : null,
                    a.PValue is { } p ? Parameter("p-value", p.ToString("0.####", CultureInfo.InvariantCulture)) : null,
                    Parameter("grids", string.Join(" ", a.GridCodes)),
                    new XElement(Cap + "area",
                        new XElement(Cap + "areaDesc", areaName),
                        new XElement(Cap + "polygon", polygon),
                        new XElement(Cap + "geocode", new XElement(Cap + "valueName", "GB/T 2260"), new XElement(Cap + "value", a.RegionCode))))));
    }

    /// <summary>CAP's dateTime: seconds, and the offset always written out (+08:00), never "Z".</summary>
    static string Time(DateTimeOffset t) => Clock.Local(t).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    static string EventName(string detector) => detector switch
    {
        "ears-c2" => "上报量异常升高",
        "nb-cusum" or "ewma" => "上报量持续高于基线",
        "three-zero-change" => "三零状态变化",
        "expectation-based-poisson-scan" or "space-time-permutation-scan" => "事件时空聚集",
        "silent-grid" => "网格静默",
        "repeat-place" => "同一地点重复事件",
        "repeat-parties" => "同一当事人重复纠纷",
        _ => "社会治理风险预警",
    };
}
