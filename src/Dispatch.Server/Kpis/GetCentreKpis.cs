namespace Dispatch.Server.Kpis;

public sealed record CentreFigures(string CentreCode, string CentreName, string Level, Figures Figures);

/// <summary>
/// The figures by responsible centre: each case counts for the centre that holds it now (for a
/// closed case, the one that closed it) — a case pulled up to the township is the township's.
/// </summary>
public static class GetCentreKpis
{
    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, TimeProvider clock, string? from, string? to, string? regionCode,
        CancellationToken ct)
    {
        var (scope, problem) = KpiScope.Of(http, clock, from, to, regionCode);
        if (scope is null) return problem!;
        var (area, period, now) = scope;

        await using var conn = await db.OpenConnectionAsync(ct);
        return TypedResults.Ok(await LoadAsync(conn, area, period, now, ct));
    }

    internal static async Task<List<CentreFigures>> LoadAsync(NpgsqlConnection conn, Area area, Period period, DateTimeOffset now, CancellationToken ct)
    {
        var byCentre = await Figures.ByAsync(conn, KpiKey.Centre, area.Prefix, period, now, ct);
        var names = (await conn.QueryAsync<(string Code, string Name)>(new CommandDefinition(
            "SELECT code, name FROM region WHERE code = ANY (@codes)", new { codes = byCentre.Keys.ToArray() }, cancellationToken: ct))).ToDictionary(r => r.Code, r => r.Name);
        return byCentre.OrderBy(c => c.Key.Length).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new CentreFigures(c.Key, names.GetValueOrDefault(c.Key, c.Key), Supervision.Centres.LevelOf(c.Key), c.Value)).ToList();
    }
}
