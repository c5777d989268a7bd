using System.Globalization;
using System.Text.Json;
using Dispatch.Server.Common;
using Dispatch.Server.Identity;
using Dispatch.Server.Privacy;
using Dispatch.Server.Regions;
using Microsoft.Extensions.Options;
using Npgsql;

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

    const string Sql = """
        WITH moved AS (
            UPDATE staff SET position = ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography, position_at = now(),
                   location_pushed_at = CASE WHEN location_pushed_at IS NULL OR location_pushed_at <= now() - make_interval(secs => $6)
                                             THEN now() ELSE location_pushed_at END
            WHERE id = $1 AND (position_at IS NULL OR position_at <= now() - make_interval(secs => $7))
            RETURNING id, code, name, kind, status, position_at, location_pushed_at = now() AS push),
        track AS (INSERT INTO staff_track (staff_id, fix) SELECT id, $4 FROM moved)
        INSERT INTO outbox (type, scope, to_field, data)
        SELECT 'staff.location', $5, false,
               jsonb_build_object('staffId', id, 'code', code, 'name', name, 'kind', kind, 'status', status,
                                  'lon', $2, 'lat', $3, 'at', beijing(position_at))
        FROM moved WHERE push;
        SELECT EXISTS (SELECT 1 FROM staff WHERE id = $1 AND position_at = now())
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
        await using var batch = new NpgsqlBatch(conn, tx);
        foreach (var statement in Sql.Split(";\n", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var command = new NpgsqlBatchCommand(statement);
            foreach (var value in new object[] { staffId, body.Lon, body.Lat, personal.Protect(fix)!, scope,
                         options.Value.LocationPushSeconds, MinInterval.TotalSeconds })
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            batch.BatchCommands.Add(command);
        }
        var accepted = (bool)(await batch.ExecuteScalarAsync(ct) ?? false);
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
        await using var cmd = db.CreateCommand("SELECT grid_code FROM staff WHERE id = $1");
        cmd.Parameters.Add(new() { Value = staffId });
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    static async Task<TimeSpan> WaitAsync(NpgsqlDataSource db, long staffId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT extract(epoch FROM position_at + make_interval(secs => $2) - now())::float8 FROM staff WHERE id = $1");
        cmd.Parameters.Add(new() { Value = staffId });
        cmd.Parameters.Add(new() { Value = MinInterval.TotalSeconds });
        return TimeSpan.FromSeconds(Math.Max(1, (double)(await cmd.ExecuteScalarAsync(ct) ?? 1.0)));
    }
}
