using System.Globalization;
using Dispatch.Server.Kpis;

namespace Dispatch.Server.Briefings;

public sealed record DayCount(DateOnly Day, long Reported, long Closed);
public sealed record CategoryCount(string Code, string Name, long Reported);
public sealed record PlaceCount(string Code, string Name, long Reported);
public sealed record AlertLine(long Id, string Level, string Title, DateTimeOffset RaisedAt);
public sealed record OverdueLine(long Id, string CategoryName, string CentreName, DateTimeOffset DueAt, double HoursOver);

/// <param name="Previous">The same figures over the period just before, of the same length: the change a meeting asks about.</param>
/// <param name="HotSpots">The villages with the most reports, most first (at most ten).</param>
/// <param name="AlertsByLevel">Early-warning alerts raised in the period, by level (blue … red).</param>
/// <param name="Overdue">Open incidents past their deadline now, the most overdue first (at most ten), and <paramref name="OverdueCount"/> in all.</param>
public sealed record BriefingView(string RegionCode, string RegionName, string Kind, DateOnly From, DateOnly To, DateTimeOffset AsOf,
    Figures Figures, Figures Previous, IReadOnlyList<DayCount> Days, IReadOnlyList<CategoryCount> Categories, IReadOnlyList<PlaceCount> HotSpots,
    IReadOnlyDictionary<string, long> AlertsByLevel, IReadOnlyList<AlertLine> Alerts, long OverdueCount, IReadOnlyList<OverdueLine> Overdue,
    long SupervisionOpen);

/// <summary>
/// 研判会 briefing: a day, a week (Monday to Sunday) or a month of one area — the 考核 figures and
/// their change, the days, the top categories, the hot spots, the alerts, what is overdue and under
/// 督办 now. One read for the JSON, the printable page and the PDF alike.
/// </summary>
public static class Briefing
{
    public static readonly string[] Kinds = ["day", "week", "month"];

    /// <summary>The period a kind names around a day, or the problem with the query.</summary>
    public static (Period? Period, IResult? Problem) PeriodOf(string? kind, string? at, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.ToOffset(Clock.Beijing).DateTime);
        if (kind is not null && !Kinds.Contains(kind)) return (null, Problems.Invalid("period", "period 应为 day、week 或 month。"));
        var day = today;
        if (at is not null && (!DateOnly.TryParseExact(at, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day) || day.Year is < 2000 or > 2100))
            return (null, Problems.Invalid("at", "at 应为 2000 到 2100 年间的日期 yyyy-MM-dd（北京时间）。"));
        return ((kind ?? "week") switch
        {
            "day" => new Period(day, day),
            "month" => new Period(new DateOnly(day.Year, day.Month, 1), new DateOnly(day.Year, day.Month, 1).AddMonths(1).AddDays(-1)),
            _ => new Period(day.AddDays(-(((int)day.DayOfWeek + 6) % 7)), day.AddDays(-(((int)day.DayOfWeek + 6) % 7) + 6)),
        }, null);
    }

    // The daily series in one pass each over the period's reports and closures (a step carries its case's
    // grid: migration 0026), not a count per day; closures are the close steps, the one way into 结案.
    static readonly string Sql = $"""
        -- A period still running is drawn up to today: days to come are not days without reports.
        WITH days AS (SELECT d FROM generate_series(@from::timestamp, least(@to::timestamp, (@now AT TIME ZONE 'Asia/Shanghai')::date::timestamp), interval '1 day') d),
        reported AS (
            SELECT (i.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*) AS n FROM incident i
            WHERE starts_with(i.grid_code, @prefix) AND i.created_at >= @start AND i.created_at < @end GROUP BY 1),
        closed AS (
            SELECT (e.at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*) AS n FROM incident_event e
            WHERE e.action = 'close' AND starts_with(e.grid_code, @prefix) AND e.at >= @start AND e.at < @end GROUP BY 1)
        SELECT to_char(d, 'YYYY-MM-DD') AS day, coalesce(r.n, 0) AS reported, coalesce(c.n, 0) AS closed
        FROM days LEFT JOIN reported r ON r.day = d::date LEFT JOIN closed c ON c.day = d::date ORDER BY d;

        SELECT c.code, c.name, count(*) AS reported FROM incident i JOIN category c ON c.code = i.category_code
        WHERE starts_with(i.grid_code, @prefix) AND i.created_at >= @start AND i.created_at < @end
        GROUP BY c.code, c.name ORDER BY reported DESC, c.code LIMIT 5;

        SELECT v.code, v.name, count(*) AS reported FROM incident i JOIN region v ON v.code = i.village_code
        WHERE starts_with(i.grid_code, @prefix) AND i.created_at >= @start AND i.created_at < @end
        GROUP BY v.code, v.name ORDER BY reported DESC, v.code LIMIT 10;

        SELECT level, count(*) FROM alert WHERE starts_with(region_code, @prefix) AND raised_at >= @start AND raised_at < @end GROUP BY level;

        SELECT id, level, title, raised_at FROM alert WHERE starts_with(region_code, @prefix) AND raised_at >= @start AND raised_at < @end
        ORDER BY array_position(ARRAY['red', 'orange', 'yellow', 'blue'], level), raised_at DESC LIMIT 5;

        SELECT count(*) FROM incident i WHERE starts_with(i.grid_code, @prefix) AND {Supervision.Overdue.Sql()};

        SELECT i.id, c.name AS category_name, coalesce(r.name, i.centre_code) AS centre_name, i.due_at,
               round((extract(epoch FROM @now - i.due_at) / 3600)::numeric, 1)::float8 AS hours_over
        FROM incident i JOIN category c ON c.code = i.category_code LEFT JOIN region r ON r.code = i.centre_code
        WHERE starts_with(i.grid_code, @prefix) AND {Supervision.Overdue.Sql()} ORDER BY i.due_at LIMIT 10;

        SELECT count(*) FROM supervision_order o JOIN incident i ON i.id = o.incident_id WHERE starts_with(i.grid_code, @prefix) AND o.status <> 'done';
        """;

    internal static async Task<BriefingView?> LoadAsync(NpgsqlConnection conn, Area area, string kind, Period period, DateTimeOffset now, CancellationToken ct)
    {
        var name = await conn.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT name FROM region WHERE code = @code", new { code = area.Code }, cancellationToken: ct));
        if (name is null) return null;
        var figures = (await Figures.ByAsync(conn, KpiKey.Whole, area.Prefix, period, now, ct)).GetValueOrDefault("", Figures.None);
        var days = period.To.DayNumber - period.From.DayNumber + 1;
        var before = new Period(period.From.AddDays(-days), period.From.AddDays(-1));
        var previous = (await Figures.ByAsync(conn, KpiKey.Whole, area.Prefix, before, now, ct)).GetValueOrDefault("", Figures.None);

        await using var read = await conn.QueryMultipleAsync(new CommandDefinition(Sql, new
        {
            prefix = area.Prefix, from = period.From.ToDateTime(TimeOnly.MinValue), to = period.To.ToDateTime(TimeOnly.MinValue),
            start = period.Start, end = period.End, now,
        }, cancellationToken: ct));
        var series = (await read.ReadAsync<(string Day, long Reported, long Closed)>())
            .Select(d => new DayCount(DateOnly.ParseExact(d.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture), d.Reported, d.Closed)).ToList();
        var categories = (await read.ReadAsync<CategoryCount>()).ToList();
        var hotSpots = (await read.ReadAsync<PlaceCount>()).ToList();
        var byLevel = (await read.ReadAsync<(string Level, long Count)>()).ToDictionary(r => r.Level, r => r.Count);
        var alerts = (await read.ReadAsync<AlertLine>()).Select(a => a with { RaisedAt = Clock.Local(a.RaisedAt) }).ToList();
        var overdueCount = await read.ReadSingleAsync<long>();
        var overdue = (await read.ReadAsync<OverdueLine>()).Select(o => o with { DueAt = Clock.Local(o.DueAt) }).ToList();
        var supervisionOpen = await read.ReadSingleAsync<long>();
        return new BriefingView(area.Code, name, kind, period.From, period.To, Clock.Local(now), figures, previous, series, categories, hotSpots,
            byLevel, alerts, overdueCount, overdue, supervisionOpen);
    }
}
