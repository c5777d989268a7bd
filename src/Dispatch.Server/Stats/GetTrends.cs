using Dispatch.Server.Common;
using Dispatch.Server.Identity;
using Npgsql;

namespace Dispatch.Server.Stats;

public sealed record TrendPoint(DateTimeOffset Start, long Reported, long Closed);

/// <param name="Hourly">The last 24 hours, one point per Beijing hour, oldest first; the last is the hour now running.</param>
/// <param name="Daily">The last 7 days, one point per Beijing day, oldest first; the last is today so far.</param>
public sealed record TrendsView(string RegionCode, DateTimeOffset AsOf, IReadOnlyList<TrendPoint> Hourly, IReadOnlyList<TrendPoint> Daily);

/// <summary>Reports and closures over time in the caller's region; empty buckets are zeros, never missing.</summary>
public static class GetTrends
{
    // $2 is the first bucket's start, $3 the bucket width, $4 the number of buckets. Buckets are
    // aligned to Beijing hours and days by their start ($2), which the caller computes.
    static readonly string Sql = $"""
        WITH buckets AS (SELECT $2::timestamptz + n * $3::interval AS start FROM generate_series(0, $4 - 1) AS n)
        SELECT b.start,
               (SELECT count(*) FROM incident i
                WHERE i.created_at >= b.start AND i.created_at < b.start + $3::interval AND {CurrentUser.CoversSql("$1", "i.grid_code")}),
               (SELECT count(*) FROM incident_event e JOIN incident i ON i.id = e.incident_id
                WHERE e.to_status = 'closed' AND e.at >= b.start AND e.at < b.start + $3::interval AND {CurrentUser.CoversSql("$1", "i.grid_code")})
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
        await using var cmd = db.CreateCommand(Sql);
        foreach (var v in new object[] { region, first.ToUniversalTime(), width, count }) cmd.Parameters.Add(new NpgsqlParameter { Value = v });
        var points = new List<TrendPoint>(count);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            points.Add(new TrendPoint(Clock.Local(r.GetFieldValue<DateTimeOffset>(0)), r.GetInt64(1), r.GetInt64(2)));
        return points;
    }
}
