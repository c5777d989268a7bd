using System.Globalization;

namespace Dispatch.Server.Kpis;

/// <summary>
/// A period of Beijing calendar days, <c>from</c> to <c>to</c> inclusive, as the supervisors name
/// it (2026-10-01 … 2026-10-31); its bounds as instants for SQL: [Start, End).
/// </summary>
public sealed record Period(DateOnly From, DateOnly To)
{
    /// <summary>Long enough for a year's assessment with room for a leap day; longer would only be a typing mistake.</summary>
    public const int MaxDays = 366;

    public DateTimeOffset Start => Instant(From);
    public DateTimeOffset End => Instant(To.AddDays(1));

    static DateTimeOffset Instant(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Clock.Beijing).ToUniversalTime();

    /// <summary>
    /// The period the query names, or the problem with it. Without <paramref name="from"/> and
    /// <paramref name="to"/>: this month so far (the default a supervisor opens the board with).
    /// </summary>
    public static (Period? Period, IResult? Problem) Parse(string? from, string? to, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.ToOffset(Clock.Beijing).DateTime);
        var errors = new Dictionary<string, string[]>();
        var start = Day(from, "from", new DateOnly(today.Year, today.Month, 1), errors);
        var end = Day(to, "to", today, errors);
        if (errors.Count == 0 && end < start) errors["to"] = ["to 不能早于 from。"];
        else if (errors.Count == 0 && end.DayNumber - start.DayNumber + 1 > MaxDays) errors["to"] = [$"统计期间最长 {MaxDays} 天。"];
        return errors.Count > 0 ? (null, Problems.Invalid(errors)) : (new Period(start, end), null);
    }

    static DateOnly Day(string? value, string field, DateOnly fallback, Dictionary<string, string[]> errors)
    {
        if (value is null) return fallback;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day.Year is >= 2000 and <= 2100)
            return day;
        errors[field] = [$"{field} 应为 2000 到 2100 年间的日期 yyyy-MM-dd（北京时间）。"];
        return fallback;
    }
}
