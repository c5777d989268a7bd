using System.Text;
using ClosedXML.Excel;
using Dispatch.Server.Kpis;
using Dispatch.Server.Privacy;

namespace Dispatch.Server.Exports;

/// <summary>
/// The incidents reported in a period in the caller's area, as Excel or CSV, for the briefing and
/// for what other offices ask for. The reporter is whole only for those who handle cases — the
/// area's dispatchers and supervisors, the rule of GET /api/incidents/{id} — and masked for
/// everyone else (an auditor, an admin, a wall). Parties are not exported.
/// </summary>
public static class ExportIncidents
{
    public const int MaxRows = 100_000;

    const string Sql = """
        SELECT i.id, i.created_at, c.name AS category_name, i.priority::int AS priority, i.status, i.description, i.grid_code,
               v.name AS village_name, t.name AS township_name, d.name AS district_name, i.centre_code, r.name AS centre_name, i.level,
               i.source, i.reporter_name, i.reporter_phone, i.due_at, i.updated_at
        FROM incident i JOIN category c ON c.code = i.category_code
        LEFT JOIN region v ON v.code = i.village_code LEFT JOIN region t ON t.code = i.township_code LEFT JOIN region d ON d.code = i.district_code
        LEFT JOIN region r ON r.code = i.centre_code
        WHERE starts_with(i.grid_code, @prefix) AND i.created_at >= @start AND i.created_at < @end
        ORDER BY i.created_at, i.id
        """;

    sealed record Row(long Id, DateTimeOffset CreatedAt, string CategoryName, int Priority, string Status, string Description, string GridCode,
        string? VillageName, string? TownshipName, string? DistrictName, string CentreCode, string? CentreName, string Level, string Source,
        byte[]? ReporterName, byte[]? ReporterPhone, DateTimeOffset? DueAt, DateTimeOffset UpdatedAt);

    sealed record Line(Row Row, string? Reporter, string? Phone);

    static readonly Workbook.Column<Line>[] Columns =
    [
        new("编号", l => l.Row.Id, "0", 8), new("上报时间", l => l.Row.CreatedAt, Width: 17), new("类别", l => l.Row.CategoryName, Width: 14),
        new("优先级", l => l.Row.Priority, "0", 7), new("状态", l => l.Row.Status, Width: 11), new("描述", l => l.Row.Description, Width: 40),
        new("网格", l => l.Row.GridCode, Width: 17), new("村（社区）", l => l.Row.VillageName, Width: 16), new("乡镇（街道）", l => l.Row.TownshipName, Width: 14),
        new("区县", l => l.Row.DistrictName, Width: 12), new("负责中心", l => l.Row.CentreName ?? l.Row.CentreCode, Width: 22), new("层级", l => l.Row.Level, Width: 9),
        new("来源", l => l.Row.Source, Width: 11), new("报告人", l => l.Reporter, Width: 10), new("报告人电话", l => l.Phone, Width: 14),
        new("当前时限", l => l.Row.DueAt, Width: 17), new("更新时间", l => l.Row.UpdatedAt, Width: 17),
    ];

    public static async Task<IResult> Handle(string format, HttpContext http, NpgsqlDataSource db, PersonalData personal, TimeProvider clock,
        string? from, string? to, string? regionCode, CancellationToken ct)
    {
        var caller = http.Caller();
        var (scope, problem) = KpiScope.Of(http, clock, from, to, regionCode);
        if (scope is null) return problem!;
        var (area, period, now) = scope;

        await using var conn = await db.OpenConnectionAsync(ct);
        var count = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM incident i WHERE starts_with(i.grid_code, @prefix) AND i.created_at >= @start AND i.created_at < @end",
            new { prefix = area.Prefix, start = period.Start, end = period.End }, cancellationToken: ct));
        if (count > MaxRows) return Problems.Invalid("to", $"该期间共 {count} 件，超过单次导出上限 {MaxRows} 件，请缩短期间或缩小区域。");
        var handles = caller.Is(Roles.Dispatcher) || caller.Is(Roles.Supervisor);
        var lines = (await conn.QueryAsync<Row>(new CommandDefinition(Sql, new { prefix = area.Prefix, start = period.Start, end = period.End }, cancellationToken: ct)))
            .Select(r =>
            {
                var name = personal.Unprotect(r.ReporterName);
                var phone = personal.Unprotect(r.ReporterPhone);
                return new Line(r, handles ? name : PersonalData.MaskName(name), handles ? phone : PersonalData.MaskPhone(phone));
            })
            .ToList();
        var file = $"事件_{area.Code}_{period.From:yyyyMMdd}-{period.To:yyyyMMdd}";
        if (format == "csv") return TypedResults.File(Csv(lines), "text/csv; charset=utf-8", file + ".csv");
        using var book = new XLWorkbook();
        Workbook.AddSheet(book, "事件", Columns, lines);
        return TypedResults.File(Workbook.Bytes(book), Workbook.ContentType, file + ".xlsx");
    }

    /// <summary>UTF-8 with a byte-order mark (so Excel reads the Chinese), CRLF rows, RFC 4180 quoting.</summary>
    static byte[] Csv(IReadOnlyList<Line> lines)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', Columns.Select(c => Field(c.Header))).Append("\r\n");
        foreach (var line in lines)
            text.AppendJoin(',', Columns.Select(c => Field(c.Value(line) switch
            {
                null => "",
                DateTimeOffset at => at.ToOffset(Clock.Beijing).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                var v => v.ToString() ?? "",
            }))).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    /// <summary>A CSV field, quoted when it must be; a leading =, +, - or @ is defused so that no spreadsheet runs it as a formula.</summary>
    static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
