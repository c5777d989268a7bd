using Dispatch.EarlyWarning.Patterns;

namespace Dispatch.Server.ThreeZeros;

public sealed record ThreeZeroUnitRow(string Code, string Name, string Kind, string VillageCode, string VillageName, double Lon, double Lat,
    DateOnly RegisteredAt, long Petitions, long MajorAccidents, long CriminalCases, bool Zero, long Rank);

public sealed record ThreeZeroUnits(string RegionCode, string Period, DateOnly From, DateOnly To, IReadOnlyList<ThreeZeroUnitRow> Units);

/// <summary>
/// The registered 三零 units (enterprises, schools, hospitals …) with the village board's figures.
/// An incident counts for a unit when it lies within <see cref="Metres"/> of the unit — whichever
/// village it was filed in: a unit on a village boundary answers for its gate, not for a polygon.
/// </summary>
public static class GetUnits
{
    public const int Metres = 200;

    static readonly string Sql = $"""
        WITH figures AS (
            SELECT u.code, u.name, u.kind, u.village_code AS villagecode, coalesce(v.name, u.village_code) AS villagename,
                   ST_X(u.location) AS lon, ST_Y(u.location) AS lat, u.registered_at AS registeredat,
                   count(*) FILTER (WHERE c.figure = 'petitions') AS petitions,
                   count(*) FILTER (WHERE c.figure = 'accidents') AS majoraccidents,
                   count(*) FILTER (WHERE c.figure = 'criminal') AS criminalcases
            FROM three_zero_unit u
            LEFT JOIN region v ON v.code = u.village_code
            LEFT JOIN LATERAL (
                SELECT {ThreeZeroSql.Figure} AS figure FROM incident i {ThreeZeroSql.MajorJoin}
                WHERE ST_DWithin(i.location::geography, u.location::geography, {Metres})
                  AND i.created_at >= @start AND i.created_at < @end AND {ThreeZeroSql.Kinds}) c ON true
            WHERE (@region = '{CurrentUser.CityCode}' OR starts_with(u.village_code, @region))
            GROUP BY u.code, v.name)
        SELECT *, petitions + majoraccidents + criminalcases = 0 AS zero,
               row_number() OVER (ORDER BY petitions + majoraccidents + criminalcases, code) AS rank
        FROM figures ORDER BY rank
        """;

    public static async Task<IResult> Handle(HttpContext http, string? period, string? at, string? regionCode, NpgsqlDataSource db,
        ThreeZeroMajor major, TimeProvider clock, CancellationToken ct)
    {
        var (p, bad) = ThreeZeroSql.ParsePeriod(period, at, clock);
        if (bad is not null) return bad;
        await using var conn = await db.OpenConnectionAsync(ct);
        var (region, refused) = await ThreeZeroSql.RegionAsync(conn, http.Caller(), regionCode, ct);
        if (refused is not null) return refused;
        var units = (await conn.QueryAsync<ThreeZeroUnitRow>(new CommandDefinition(Sql, GetBoard.Parameters(region!, p!, major), cancellationToken: ct))).AsList();
        return TypedResults.Ok(new ThreeZeroUnits(region!, p!.Kind, p.From, p.To, units));
    }
}
