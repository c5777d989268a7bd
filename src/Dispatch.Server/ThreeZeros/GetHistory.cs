using Dispatch.EarlyWarning.Patterns;

namespace Dispatch.Server.ThreeZeros;

public sealed record ThreeZeroPeriodCount(DateOnly From, DateOnly To, long Villages, long ZeroVillages);

/// <param name="Periods">Oldest first, the last being the period containing <c>at</c>.</param>
public sealed record ThreeZeroHistory(string RegionCode, string Period, IReadOnlyList<ThreeZeroPeriodCount> Periods);

/// <summary>The trend: per period, how many of the region's villages were 三零.</summary>
public static class GetHistory
{
    // A village is counted as broken in a period when any incident of it counts there; the
    // periods come as parallel arrays of instants, one statement for all of them.
    static readonly string Sql = $"""
        WITH villages AS ({ThreeZeroSql.Villages}),
        periods AS (SELECT * FROM unnest(@starts::timestamptz[], @ends::timestamptz[]) WITH ORDINALITY AS p(start_at, end_at, n)),
        broken AS (
            SELECT DISTINCT p.n, i.village_code
            FROM periods p JOIN incident i ON i.created_at >= p.start_at AND i.created_at < p.end_at {ThreeZeroSql.MajorJoin}
            WHERE {ThreeZeroSql.Kinds} AND (@region = '{CurrentUser.CityCode}' OR starts_with(i.grid_code, @region))
              AND {ThreeZeroSql.Figure} IS NOT NULL)
        SELECT p.n, (SELECT count(*) FROM villages) AS villages,
               (SELECT count(*) FROM villages) - (SELECT count(*) FROM broken b JOIN villages v ON v.code = b.village_code WHERE b.n = p.n) AS zerovillages
        FROM periods p ORDER BY p.n
        """;

    public static async Task<IResult> Handle(HttpContext http, string? period, string? at, string? regionCode, string? count,
        NpgsqlDataSource db, ThreeZeroMajor major, TimeProvider clock, CancellationToken ct)
    {
        var (last, bad) = ThreeZeroSql.ParsePeriod(period, at, clock);
        if (bad is not null) return bad;
        var n = 12;
        if (count is not null && (!int.TryParse(count, out n) || n is < 1 or > 60)) return Problems.Invalid("count", "count 应为 1 到 60 之间的整数。");
        await using var conn = await db.OpenConnectionAsync(ct);
        var (region, refused) = await ThreeZeroSql.RegionAsync(conn, http.Caller(), regionCode, ct);
        if (refused is not null) return refused;
        var periods = new List<ThreeZeroPeriod> { last! };
        while (periods.Count < n) periods.Add(periods[^1].Previous());
        periods.Reverse();
        var (keys, max) = ThreeZeroSql.MajorParameters(major);
        var rows = (await conn.QueryAsync<(long N, long Villages, long ZeroVillages)>(new CommandDefinition(Sql, new
        {
            region, starts = periods.Select(p => p.Start).ToArray(), ends = periods.Select(p => p.End).ToArray(), majorKeys = keys, majorMax = max,
        }, cancellationToken: ct))).ToList();
        return TypedResults.Ok(new ThreeZeroHistory(region!, last!.Kind,
            [.. rows.Select(r => new ThreeZeroPeriodCount(periods[(int)r.N - 1].From, periods[(int)r.N - 1].To, r.Villages, r.ZeroVillages))]));
    }
}
