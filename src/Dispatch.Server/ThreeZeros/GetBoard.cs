using Dispatch.EarlyWarning.Patterns;

namespace Dispatch.Server.ThreeZeros;

/// <param name="Petitions">越级上访 in the period (<see cref="ThreeZero"/>).</param>
/// <param name="MajorAccidents">Accidents major enough to count (<c>ThreeZeros:Major</c>).</param>
/// <param name="CriminalCases">Criminal cases major enough to count.</param>
/// <param name="Zero">All three are zero: a 三零 village for the period.</param>
/// <param name="Rank">1 = best: zero villages first, then fewest incidents in all, ties by code.</param>
public sealed record ThreeZeroVillage(string Code, string Name, string TownshipCode, string TownshipName,
    long Petitions, long MajorAccidents, long CriminalCases, bool Zero, long Rank);

public sealed record ThreeZeroTotals(long Villages, long ZeroVillages, long Petitions, long MajorAccidents, long CriminalCases);

/// <param name="From">First day of the period (Beijing).</param>
/// <param name="To">Last day of the period (Beijing), which may lie ahead: the period so far is counted.</param>
public sealed record ThreeZeroBoard(string RegionCode, string Period, DateOnly From, DateOnly To, ThreeZeroTotals Totals, IReadOnlyList<ThreeZeroVillage> Villages);

/// <summary>
/// The 三零 board: every village and community of the region with its three figures for the
/// period, ranked. Counted by PostgreSQL from the incidents each time (no stored counters to drift).
/// </summary>
public static class GetBoard
{
    internal static readonly string Sql = $"""
        WITH villages AS ({ThreeZeroSql.Villages}),
        counted AS (
            SELECT i.village_code, {ThreeZeroSql.Figure} AS figure
            FROM incident i {ThreeZeroSql.MajorJoin}
            WHERE i.created_at >= @start AND i.created_at < @end AND {ThreeZeroSql.Kinds}
              AND (@region = '{CurrentUser.CityCode}' OR starts_with(i.grid_code, @region))),
        figures AS (
            SELECT v.code, v.name, t.code AS townshipcode, t.name AS townshipname,
                   count(*) FILTER (WHERE c.figure = 'petitions') AS petitions,
                   count(*) FILTER (WHERE c.figure = 'accidents') AS majoraccidents,
                   count(*) FILTER (WHERE c.figure = 'criminal') AS criminalcases
            FROM villages v JOIN region t ON t.code = v.parent_code
            LEFT JOIN counted c ON c.village_code = v.code AND c.figure IS NOT NULL
            GROUP BY v.code, v.name, t.code, t.name)
        SELECT code, name, townshipcode, townshipname, petitions, majoraccidents, criminalcases,
               petitions + majoraccidents + criminalcases = 0 AS zero,
               row_number() OVER (ORDER BY petitions + majoraccidents + criminalcases, code) AS rank
        FROM figures ORDER BY rank
        """;

    internal static object Parameters(string region, ThreeZeroPeriod period, ThreeZeroMajor major)
    {
        var (keys, max) = ThreeZeroSql.MajorParameters(major);
        return new { region, start = period.Start, end = period.End, majorKeys = keys, majorMax = max };
    }

    public static async Task<IResult> Handle(HttpContext http, string? period, string? at, string? regionCode, NpgsqlDataSource db,
        ThreeZeroMajor major, TimeProvider clock, CancellationToken ct)
    {
        var (p, bad) = ThreeZeroSql.ParsePeriod(period, at, clock);
        if (bad is not null) return bad;
        await using var conn = await db.OpenConnectionAsync(ct);
        var (region, refused) = await ThreeZeroSql.RegionAsync(conn, http.Caller(), regionCode, ct);
        if (refused is not null) return refused;
        var villages = (await conn.QueryAsync<ThreeZeroVillage>(new CommandDefinition(Sql, Parameters(region!, p!, major), cancellationToken: ct))).AsList();
        var totals = new ThreeZeroTotals(villages.Count, villages.Count(v => v.Zero), villages.Sum(v => v.Petitions),
            villages.Sum(v => v.MajorAccidents), villages.Sum(v => v.CriminalCases));
        return TypedResults.Ok(new ThreeZeroBoard(region!, p!.Kind, p.From, p.To, totals, villages));
    }
}
