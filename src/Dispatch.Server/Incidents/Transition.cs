using System.Text.Json;
using Dispatch.Server.Common;
using Dispatch.Server.Identity;
using Dispatch.Server.Privacy;
using Dispatch.Server.Supervision;
using Npgsql;

namespace Dispatch.Server.Incidents;

public sealed record TransitionRequest(string? Action, string? Note, long[]? StaffIds, double? Lon, double? Lat);

/// <summary>
/// One step of the lifecycle, guarded three ways: the caller's area (404), the version they saw
/// (<c>If-Match</c>, 412 when another step came first), and <see cref="Lifecycle"/> (409). The
/// incident row is locked for the step, so of two simultaneous steps on one version exactly one
/// wins and the other sees a stale version.
/// </summary>
public static class Transition
{
    const string Lock = """
        SELECT i.status, i.version, i.level, i.grid_code, c.roles, c.arrive_minutes, c.resolve_minutes, c.working_hours
        FROM incident i JOIN category c ON c.code = i.category_code
        WHERE i.id = $1 AND {visible} FOR UPDATE OF i
        """;

    public static async Task<IResult> Handle(long id, HttpContext http, NpgsqlDataSource db, PersonalData personal,
        WorkingCalendar calendar, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<TransitionRequest>(http, ct);
        if (malformed is not null) return malformed;
        if (body is null || !JsonNames.TryParse<IncidentAction>(body.Action, out var action))
            return Problems.Invalid("action", $"action 应为 {string.Join("、", Enum.GetValues<IncidentAction>().Select(a => a.Wire()))} 之一。");
        if (body.Note is { Length: > 2000 }) return Problems.Invalid("note", "备注不能超过 2000 字。");
        if (ParseIfMatch(http.Request.Headers.IfMatch.ToString()) is not { } expected)
            return TypedResults.Problem("请在 If-Match 头中给出您看到的版本号（ETag）。", statusCode: 428, title: "缺少版本号");

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var lockCmd = new NpgsqlCommand(Lock.Replace("{visible}", GetIncident.VisibleSql()), conn, tx)
        {
            Parameters =
            {
                new() { Value = id }, new() { Value = caller.RegionCode },
                new() { Value = (object?)caller.StaffId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint },
            },
        };
        IncidentState state;
        await using (var r = await lockCmd.ExecuteReaderAsync(ct))
        {
            if (!await r.ReadAsync(ct)) return Problems.NotFound($"没有编号为 {id} 的事件，或它不在您的辖区内。");
            state = new IncidentState(id, GetIncident.Parse(r.GetString(0)), r.GetInt32(1), r.GetString(2), r.GetString(3),
                r.GetFieldValue<string[]>(4), r.GetInt32(5), r.GetInt32(6), r.GetBoolean(7));
        }
        if (state.Version != expected)
            return Problems.Stale($"事件已被他人更新（当前版本 {state.Version}，您看到的是 {expected}），请刷新后再操作。");

        var step = new Step(conn, tx, state, caller, action, body, calendar, clock);
        if (await step.AuthoriseAsync(ct) is { } refused) return refused;
        if (await step.ApplyAsync(ct) is { } failed) return failed;
        await tx.CommitAsync(ct);

        var view = await GetIncident.LoadAsync(conn, null, id, caller, personal, ct);
        http.Response.Headers.ETag = view!.ETag;
        return TypedResults.Ok(view);
    }

    /// <summary>Accepts <c>3</c>, <c>"3"</c> and <c>W/"3"</c>.</summary>
    public static int? ParseIfMatch(string header) =>
        int.TryParse(header.Trim().TrimStart('W', '/').Trim('"'), out var v) ? v : null;
}

public sealed record IncidentState(long Id, IncidentStatus Status, int Version, string Level, string GridCode,
    string[] Roles, int ArriveMinutes, int ResolveMinutes, bool WorkingHours);
