using Dispatch.EarlyWarning.Patterns;
using Dispatch.EarlyWarning.Scan;

namespace Dispatch.Server.Alerts;

/// <summary>The villages as the region charts see them: codes and each village's grid indices (rows of the counts).</summary>
public sealed record Villages(IReadOnlyList<string> Codes, IReadOnlyList<int[]> Grids, IReadOnlyList<string> GridCodes)
{
    /// <summary>Each township's villages, as indices into <see cref="Codes"/>, townships in code order.</summary>
    public IReadOnlyList<int[]> Townships { get; } =
        [.. Enumerable.Range(0, Codes.Count).GroupBy(v => Codes[v][..9]).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.ToArray())];
}

/// <summary>
/// What a scoring run reads from the database: the grids (as scan zones), their names, the
/// villages, and the reports per grid and Beijing day. Zones, names and villages change only when
/// grids are imported: they are kept in memory and reloaded by the nightly refresh.
/// </summary>
public sealed class ScoringInputs(NpgsqlDataSource db)
{
    /// <summary>Days of reports a run reads: 35 to fit the region baselines on, 28 charted (the scan uses the last 35, silence the last 63).</summary>
    public const int HistoryDays = 63;
    const int ZoneSize = 10;

    (Zones Zones, Dictionary<string, string> Names, Villages Villages)? _cached;

    public async Task<(Zones Zones, Dictionary<string, string> Names, Villages Villages)> GeographyAsync(CancellationToken ct) =>
        _cached ??= await LoadAsync(ct);

    /// <summary>Reloads the grids, names and villages (the nightly refresh: grids may have been imported).</summary>
    public async Task RefreshAsync(CancellationToken ct) => _cached = await LoadAsync(ct);

    async Task<(Zones, Dictionary<string, string>, Villages)> LoadAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var grids = await conn.QueryAsync<(string Code, double X, double Y)>(new CommandDefinition(
            "SELECT code, ST_X(service_point), ST_Y(service_point) FROM grid ORDER BY code", cancellationToken: ct));
        var zones = Zones.Nearest([.. grids.Select(g => new GridPoint(g.Code, g.X, g.Y))], ZoneSize);

        var names = new Dictionary<string, string>();
        foreach (var (code, name) in await conn.QueryAsync<(string, string)>(new CommandDefinition(
                     "SELECT code, name FROM region UNION ALL SELECT code, name FROM grid", cancellationToken: ct)))
            names[code] = name;

        var byVillage = Enumerable.Range(0, zones.Grids.Count).GroupBy(g => zones.Grids[g].Code[..12]).OrderBy(v => v.Key, StringComparer.Ordinal).ToList();
        return (zones, names, new Villages([.. byVillage.Select(v => v.Key)], [.. byVillage.Select(v => v.ToArray())], [.. zones.Grids.Select(g => g.Code)]));
    }

    /// <summary>Reports per grid and Beijing day over the <see cref="HistoryDays"/> days ending on <paramref name="day"/> (likely duplicates left out).</summary>
    public async Task<GridDays> CountsAsync(Zones zones, DateOnly day, CancellationToken ct)
    {
        var counts = new GridDays(day.AddDays(1 - HistoryDays), zones.Grids.Count, HistoryDays);
        await ReadCountsAsync(counts, zones, HistoryDays, ct);
        return counts;
    }

    /// <summary>Reads the last <paramref name="days"/> days of <paramref name="counts"/> again (the rest is kept).</summary>
    public async Task ReadCountsAsync(GridDays counts, Zones zones, int days, CancellationToken ct)
    {
        var from = counts.Days - days;
        for (var g = 0; g < counts.Grids; g++)
            for (var d = from; d < counts.Days; d++) counts[g, d] = 0;
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string Grid, int Day, int Count)>(new CommandDefinition("""
            SELECT grid_code, (created_at AT TIME ZONE 'Asia/Shanghai')::date - @start::date, count(*)::int FROM incident
            WHERE created_at >= @from AND created_at < @to AND duplicate_of IS NULL GROUP BY 1, 2
            """, new { start = counts.Start, from = Beijing(counts.DateOf(from)), to = Beijing(counts.End.AddDays(1)) }, cancellationToken: ct));
        foreach (var (code, d, count) in rows)
        {
            var grid = zones.IndexOf(code);
            if (grid >= 0 && d >= from && d < counts.Days) counts[grid, d] = count;
        }
    }

    /// <summary>Reports from the start of <paramref name="from"/> to the end of <paramref name="today"/> (a replayed day sees no later one) as the pattern detectors see them, and each one's grid (likely duplicates, rejected and cancelled left out).</summary>
    public async Task<(List<PatternIncident> Incidents, Dictionary<long, string> Grids)> RecentIncidentsAsync(DateOnly from, DateOnly today, CancellationToken ct)
    {
        var incidents = new List<PatternIncident>();
        var grids = new Dictionary<long, string>();
        await using var conn = await db.OpenConnectionAsync(ct);
        // The parties' keyed hashes (never who they are) link cases between the same people.
        var rows = await conn.QueryAsync<RecentRow>(new CommandDefinition("""
            SELECT i.id, i.created_at, ST_X(i.location) AS x, ST_Y(i.location) AS y, i.grid_code, i.category_code, i.priority,
                   ARRAY(SELECT DISTINCT k FROM incident_party p, unnest(p.link_keys) k WHERE p.incident_id = i.id ORDER BY k) AS party_keys
            FROM incident i
            WHERE i.created_at >= @from AND i.created_at < @to AND i.duplicate_of IS NULL AND i.status NOT IN ('rejected', 'cancelled')
            """, new { from = Beijing(from), to = Beijing(today.AddDays(1)) }, cancellationToken: ct));
        foreach (var r in rows)
        {
            incidents.Add(new PatternIncident(r.Id, r.CreatedAt, r.X, r.Y, PartyKeys: r.PartyKeys, Severity: DisputeSeverity.Of(r.CategoryCode, r.Priority)));
            grids[r.Id] = r.GridCode;
        }
        return (incidents, grids);
    }

    /// <summary>
    /// For each place, the reports within <paramref name="radiusMetres"/> of it from <paramref name="from"/>
    /// (inclusive) to <paramref name="to"/> (exclusive), Beijing days — likely duplicates, rejected and cancelled left out.
    /// </summary>
    public async Task<int[]> ReportsNearAsync(IReadOnlyList<Spot> places, double radiusMetres, DateOnly from, DateOnly to, CancellationToken ct)
    {
        if (places.Count == 0) return [];
        await using var conn = await db.OpenConnectionAsync(ct);
        // The box (in degrees, generous at Hebi's latitude) lets the GiST index find the candidates; the geography test decides.
        var rows = await conn.QueryAsync<NearCount>(new CommandDefinition("""
            SELECT p.n AS place, (SELECT count(*)::int FROM incident i
                         WHERE i.location && ST_Expand(p.at, @box) AND ST_DWithin(i.location::geography, p.at::geography, @radius)
                           AND i.created_at >= @from AND i.created_at < @to AND i.duplicate_of IS NULL AND i.status NOT IN ('rejected', 'cancelled')) AS reports
            FROM (SELECT n, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS at FROM unnest(@lons::float8[], @lats::float8[]) WITH ORDINALITY AS u(lon, lat, n)) p
            """, new
        {
            lons = places.Select(p => p.Lon).ToArray(), lats = places.Select(p => p.Lat).ToArray(), radius = radiusMetres,
            box = radiusMetres / 111_195 * 1.5, from = Beijing(from), to = Beijing(to),
        }, cancellationToken: ct));
        var counts = new int[places.Count];
        foreach (var row in rows) counts[row.Place - 1] = row.Reports;
        return counts;
    }

    /// <summary>A place's 1-based position in the request, and its reports.</summary>
    sealed record NearCount(long Place, int Reports);

    sealed record RecentRow(long Id, DateTimeOffset CreatedAt, double X, double Y, string GridCode, string CategoryCode, short Priority, string[] PartyKeys);

    /// <summary>Midnight of a Beijing day, as an instant.</summary>
    public static DateTimeOffset Beijing(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Clock.Beijing).ToUniversalTime();
}
