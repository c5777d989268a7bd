using System.Globalization;
using System.Text.Json;
using Dispatch.Server.Privacy;
using Dispatch.Server.Regions;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Staff;

public sealed record PositionReport(double? Lon, double? Lat, double? Accuracy);

/// <summary>
/// A field phone's fix: at most one every 5 s per person (429 beyond, with Retry-After), checked
/// in the same statement that stores it so that two servers cannot both accept. The latest
/// position replaces the last one (recommendations search it); the fix is appended to the track,
/// encrypted; and dispatchers of the area hear of it as <c>staff.location</c> — at most every
/// <see cref="StaffOptions.LocationPushSeconds"/>, since a wall needs a moving dot, not every fix.
/// </summary>
public static class ReportPosition
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(5);

    // Two statements in one command (Npgsql sends them as one batch, one round trip): store and
    // publish, then whether this fix was the one stored. Inside the caller's transaction.
    const string Sql = """
        WITH moved AS (
            UPDATE staff SET position = ST_SetSRID(ST_MakePoint(@lon, @lat), 4326)::geography, position_at = now(),
                   location_pushed_at = CASE WHEN location_pushed_at IS NULL OR location_pushed_at <= now() - make_interval(secs => @pushSeconds)
                                             THEN now() ELSE location_pushed_at END
            WHERE id = @staffId AND (position_at IS NULL OR position_at <= now() - make_interval(secs => @minInterval))
            RETURNING id, code, name, kind, status, position_at, location_pushed_at = now() AS push),
        track AS (INSERT INTO staff_track (staff_id, fix) SELECT id, @fix FROM moved)
        INSERT INTO outbox (type, scope, to_field, data)
        SELECT @type, @scope, false,
               jsonb_build_object('staffId', id, 'code', code, 'name', name, 'kind', kind, 'status', status,
                                  'lon', @lon, 'lat', @lat, 'at', beijing(position_at))
        FROM moved WHERE push;
        SELECT EXISTS (SELECT 1 FROM staff WHERE id = @staffId AND position_at = now())
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, GridLocator locator, PersonalData personal,
        IOptions<StaffOptions> options, CancellationToken ct)
    {
        var caller = http.Caller();
        if (caller.StaffId is not { } staffId) return Problems.Forbidden("只有外勤人员账号可以上报位置。");
        var (body, malformed) = await JsonBody.ReadAsync<PositionReport>(http, ct);
        if (malformed is not null) return malformed;
        var errors = new Dictionary<string, string[]>();
        if (body?.Lon is not { } lon || !double.IsFinite(lon) || lon is < -180 or > 180) errors["lon"] = ["lon 应为 -180 到 180 之间的经度。"];
        if (body?.Lat is not { } lat || !double.IsFinite(lat) || lat is < -90 or > 90) errors["lat"] = ["lat 应为 -90 到 90 之间的纬度。"];
        if (body?.Accuracy is { } acc && (!double.IsFinite(acc) || acc is < 0 or > 100_000)) errors["accuracy"] = ["accuracy 应为 0 到 100000 米。"];
        if (errors.Count > 0) return Problems.Invalid(errors);

        // The dot goes to the dispatchers of where the person is; outside the city, of their home grid.
        var scope = locator.Locate(body!.Lon!.Value, body.Lat!.Value)?.GridCode ?? await HomeGridAsync(db, staffId, ct);
        var fix = string.Create(CultureInfo.InvariantCulture, $"{body.Lon:R},{body.Lat:R},{body.Accuracy:R}");

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var accepted = await conn.ExecuteScalarAsync<bool?>(new CommandDefinition(Sql, new
        {
            staffId, lon = body.Lon, lat = body.Lat, fix = personal.Protect(fix)!, type = Live.EventTypes.StaffLocation, scope,
            pushSeconds = options.Value.LocationPushSeconds, minInterval = MinInterval.TotalSeconds,
        }, tx, cancellationToken: ct)) ?? false;
        if (!accepted)
        {
            await tx.RollbackAsync(ct);
            return Problems.TooMany(http, "位置上报过于频繁：每 5 秒最多一次。", await WaitAsync(db, staffId, ct));
        }
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<string> HomeGridAsync(NpgsqlDataSource db, long staffId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<string>(new CommandDefinition("SELECT grid_code FROM staff WHERE id = @staffId", new { staffId }, cancellationToken: ct));
    }

    static async Task<TimeSpan> WaitAsync(NpgsqlDataSource db, long staffId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var wait = await conn.ExecuteScalarAsync<double?>(new CommandDefinition(
            "SELECT extract(epoch FROM position_at + make_interval(secs => @minInterval) - now())::float8 FROM staff WHERE id = @staffId",
            new { staffId, minInterval = MinInterval.TotalSeconds }, cancellationToken: ct));
        return TimeSpan.FromSeconds(Math.Max(1, wait ?? 1.0));
    }
}
