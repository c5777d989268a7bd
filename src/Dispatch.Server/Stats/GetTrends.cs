namespace Dispatch.Server.Stats;

public sealed record TrendPoint(DateTimeOffset Start, long Reported, long Closed);

/// <param name="Hourly">The last 24 hours, one point per Beijing hour, oldest first; the last is the hour now running.</param>
/// <param name="Daily">The last 7 days, one point per Beijing day, oldest first; the last is today so far.</param>
public sealed record TrendsView(string RegionCode, DateTimeOffset AsOf, IReadOnlyList<TrendPoint> Hourly, IReadOnlyList<TrendPoint> Daily);

/// <summary>Reports and closures over time in the caller's region; empty buckets are zeros, never missing.</summary>
public static class GetTrends
{
    // @first is the first bucket's start, @days and @secs the bucket width (as Npgsql writes a
    // TimeSpan: whole days, then the rest), @count the number of buckets. Buckets are aligned to
    // Beijing hours and days by their start, which the caller computes.
    static readonly string Sql = $"""
        WITH width AS (SELECT make_interval(days => @days, secs => @secs) AS w),
             buckets AS (SELECT @first + n * width.w AS start, width.w FROM generate_series(0, @count - 1) AS n, width)
        SELECT b.start,
               (SELECT count(*) FROM incident i
                WHERE i.created_at >= b.start AND i.created_at < b.start + b.w AND {CurrentUser.CoversSql("@region", "i.grid_code")}) AS reported,
               (SELECT count(*) FROM incident_event e JOIN incident i ON i.id = e.incident_id
                WHERE e.to_status = 'closed' AND e.at >= b.start AND e.at < b.start + b.w AND {CurrentUser.CoversSql("@region", "i.grid_code")}) AS closed
        FROM buckets b ORDER BY b.start
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var region = http.Caller().RegionCode;
        var now = clock.GetUtcNow();
        var hourStart = new DateTimeOffset(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero); // Beijing is a whole-hour offset
        var hourly = await SeriesAsync(db, region, hourStart.AddHours(-23), TimeSpan.FromHours(1), 24, ct);
        var daily = await SeriesAsync(db, region, StatsApi.BeijingMidnight(now).AddDays(-6), TimeSpan.FromDays(1), 7, ct);
        return TypedResults.Ok(new TrendsView(region, Clock.Local(now), hourly, daily));
    }

    static async Task<List<TrendPoint>> SeriesAsync(NpgsqlDataSource db, string region, DateTimeOffset first, TimeSpan width, int count, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<TrendPoint>(new CommandDefinition(Sql,
            new { region, first = first.ToUniversalTime(), days = width.Days, secs = (width - TimeSpan.FromDays(width.Days)).TotalSeconds, count },
            cancellationToken: ct));
        return [.. rows.Select(p => p with { Start = Clock.Local(p.Start) })];
    }
}
