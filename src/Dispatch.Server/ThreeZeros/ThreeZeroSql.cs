using System.Globalization;
using System.Text.RegularExpressions;
using Dispatch.EarlyWarning.Patterns;
using Dispatch.Server.Alerts;

namespace Dispatch.Server.ThreeZeros;

/// <summary>A board's period: days From … To (Beijing, inclusive), as instants [Start, End) for SQL.</summary>
public sealed record ThreeZeroPeriod(string Kind, DateOnly From, DateOnly To)
{
    public DateTimeOffset Start => ScoringInputs.Beijing(From);
    public DateTimeOffset End => ScoringInputs.Beijing(To.AddDays(1));

    public static DateOnly FirstDay(string kind, DateOnly day) => kind switch
    {
        "year" => new(day.Year, 1, 1),
        "quarter" => new(day.Year, (day.Month - 1) / 3 * 3 + 1, 1),
        _ => new(day.Year, day.Month, 1),
    };

    public static ThreeZeroPeriod Of(string kind, DateOnly day)
    {
        var from = FirstDay(kind, day);
        var next = kind switch { "year" => from.AddYears(1), "quarter" => from.AddMonths(3), _ => from.AddMonths(1) };
        return new(kind, from, next.AddDays(-1));
    }

    /// <summary>The period before this one of the same kind.</summary>
    public ThreeZeroPeriod Previous() => Of(Kind, From.AddDays(-1));
}

/// <summary>
/// What every 三零 read shares: the period and region of the query, and the rule of
/// <see cref="ThreeZero"/> written for PostgreSQL, so that the board counts in the database and
/// still says what the 三零 alert says (ThreeZeroBoardTests compares the two).
/// </summary>
public static class ThreeZeroSql
{
    /// <summary>
    /// <c>ThreeZeros:Major</c>: category prefix → the least urgent priority that counts (1 紧急 … 4
    /// 一般; 0 none). Configuration rather than a table: set once per deployment with the campaign's
    /// rules, read by the alert job and the board alike, and nothing edits it at run time. Absent,
    /// <see cref="ThreeZeroMajor.Default"/>. A value out of range stops the start, not a count later.
    /// </summary>
    public static ThreeZeroMajor Major(IConfiguration config)
    {
        var section = config.GetSection("ThreeZeros:Major");
        if (!section.GetChildren().Any()) return ThreeZeroMajor.Default;
        var map = new Dictionary<string, int>();
        foreach (var entry in section.GetChildren())
        {
            if (!int.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var max) || max > 4 || !Regex.IsMatch(entry.Key, "^[a-z_]+(\\.[a-z_]+)*$"))
                throw new InvalidOperationException($"ThreeZeros:Major:{entry.Key} = '{entry.Value}': a category prefix and a priority 0–4 are wanted.");
            map[entry.Key] = max;
        }
        return new ThreeZeroMajor(map);
    }

    /// <summary>The three kinds' top-level categories: the index <c>incident_category</c> narrows to them first.</summary>
    public const string Kinds = "split_part(i.category_code, '.', 1) IN ('petition', 'accident', 'criminal')";

    /// <summary>
    /// The figure an incident <c>i</c> counts for — 'petitions', 'accidents', 'criminal' — or NULL:
    /// <see cref="ThreeZero.Breaks"/> in SQL. Needs <see cref="MajorJoin"/> in the same FROM.
    /// </summary>
    public const string Figure = """
        CASE WHEN i.duplicate_of IS NOT NULL OR i.status IN ('rejected', 'cancelled') THEN NULL
             WHEN i.priority > coalesce(mj.max, 0) THEN NULL
             WHEN split_part(i.category_code, '.', 1) = 'petition'
                  AND (i.category_code = 'petition.beyond_township' OR i.level IN ('district', 'city')) THEN 'petitions'
             WHEN split_part(i.category_code, '.', 1) = 'accident' THEN 'accidents'
             WHEN split_part(i.category_code, '.', 1) = 'criminal' THEN 'criminal'
        END
        """;

    /// <summary>
    /// Joins <c>mj</c>: each category's least urgent priority that counts as major (the longest
    /// matching prefix of <c>ThreeZeros:Major</c>), worked out once per category rather than once per
    /// incident — over a year's incidents that lookup was most of the board's time. Binds
    /// <c>@majorKeys</c> and <c>@majorMax</c> (<see cref="MajorParameters"/>).
    /// </summary>
    public const string MajorJoin = """
        LEFT JOIN (SELECT c.code, (SELECT m.max FROM unnest(@majorKeys::text[], @majorMax::int[]) AS m(key, max)
                                   WHERE c.code = m.key OR starts_with(c.code, m.key || '.') ORDER BY length(m.key) DESC LIMIT 1) AS max
                   FROM category c) mj ON mj.code = i.category_code
        """;

    public static (string[] Keys, int[] Max) MajorParameters(ThreeZeroMajor major) =>
        ([.. major.MaxPriority.Keys], [.. major.MaxPriority.Values]);

    public static readonly string[] Figures = ["petitions", "accidents", "criminal"];

    /// <summary>The period of <paramref name="period"/> (default month) containing <paramref name="at"/> (default today), or the 400 naming the field.</summary>
    public static (ThreeZeroPeriod? Period, IResult? Problem) ParsePeriod(string? period, string? at, TimeProvider clock)
    {
        var kind = period ?? "month";
        if (kind is not ("month" or "quarter" or "year")) return (null, Problems.Invalid("period", "period 应为 month（月）、quarter（季度）或 year（年）。"));
        var day = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(Clock.Beijing).DateTime);
        if (at is not null && (!DateOnly.TryParseExact(at, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day) || day.Year is < 2000 or > 2100))
            return (null, Problems.Invalid("at", "at 应为 yyyy-MM-dd 格式的日期（2000 至 2100 年）。"));
        return (ThreeZeroPeriod.Of(kind, day), null);
    }

    /// <summary>
    /// The region a read is about: <paramref name="regionCode"/> when given (it must lie in the
    /// caller's area), else the caller's own. A village user's is their village; a grid's (field
    /// staff), its village.
    /// </summary>
    public static async Task<(string? Region, IResult? Problem)> RegionAsync(NpgsqlConnection conn, CurrentUser caller, string? regionCode, CancellationToken ct)
    {
        var own = caller.RegionCode.Length > 12 ? caller.RegionCode[..12] : caller.RegionCode;
        if (regionCode is null) return (own, null);
        if (!Regex.IsMatch(regionCode, "^[0-9]{6,12}$")) return (null, Problems.Invalid("regionCode", "regionCode 应为 6 到 12 位区划代码（市、区县、乡镇或村社区）。"));
        if (!await conn.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM region WHERE code = @regionCode)", new { regionCode }, cancellationToken: ct)))
            return (null, Problems.NotFound($"没有编码为 {regionCode} 的区划。"));
        if (!(own == CurrentUser.CityCode || regionCode.StartsWith(own, StringComparison.Ordinal)))
            return (null, Problems.Forbidden($"区划 {regionCode} 不在您的辖区内。"));
        return (regionCode, null);
    }

    /// <summary>The villages (and communities) under <c>@region</c>.</summary>
    public const string Villages = $"""
        SELECT v.code, v.name, v.parent_code, v.geom FROM region v
        WHERE v.level = 'village' AND (@region = '{CurrentUser.CityCode}' OR starts_with(v.code, @region))
        """;
}
