using Dispatch.Server.Regions;

namespace Dispatch.Server.Visits;

public sealed record NewVisitProblem(string? Description);

/// <param name="Kind"><c>household</c> (入户走访) or <c>place</c> (场所排查).</param>
/// <param name="Key">The door number or the place's name (≤ 100 characters).</param>
/// <param name="VisitedAt">When the visit was made (the phone may send it later); now when absent. At most 30 days back.</param>
/// <param name="ClientKey">The phone outbox's key for this visit (≤ 128 visible ASCII characters): a resend answers the first visit.</param>
public sealed record NewVisit(string? Kind, string? Key, double? Lon, double? Lat, string? Notes, DateTimeOffset? VisitedAt, string? ClientKey,
    IReadOnlyList<NewVisitProblem>? Problems);

/// <summary>
/// A visit logged by the field worker who made it, where they stand: the position is placed in its
/// grid as intake places a report, and must lie in the worker's own area (their grid, or their
/// village for village staff). The visit and its problems are one insert; a resend with the same
/// client key (the outbox after a lost answer) gets the visit the first send made, 200 instead of 201.
/// </summary>
public static class LogVisit
{
    const int MaxKey = 100, MaxNotes = 2000, MaxProblem = 1000, MaxClientKey = 128;
    static readonly TimeSpan MaxAge = TimeSpan.FromDays(30), Skew = TimeSpan.FromMinutes(10);

    const string Insert = """
        WITH v AS (
            INSERT INTO visit (grid_code, staff_id, kind, place_key, location, notes, visited_at, client_key)
            VALUES (@grid, @staff, @kind, @key, ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), @notes, @at, @client)
            ON CONFLICT (staff_id, client_key) DO NOTHING
            RETURNING id),
        p AS (
            INSERT INTO visit_problem (visit_id, ordinal, description)
            SELECT v.id, d.n - 1, d.description FROM v, unnest(@problems::text[]) WITH ORDINALITY AS d (description, n))
        SELECT id FROM v
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, GridLocator locator, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.Caller();
        if (caller.StaffId is not { } staff) return Problems.Forbidden("走访由外勤人员在手机上登记。");
        var (body, malformed) = await JsonBody.ReadAsync<NewVisit>(http, ct);
        if (malformed is not null) return malformed;
        var now = clock.GetUtcNow();
        if (Validate(body!, now) is { Count: > 0 } errors) return Problems.Invalid(errors);

        var place = locator.Locate(body!.Lon!.Value, body.Lat!.Value);
        if (place is null) return Problems.Unprocessable("该位置不在鹤壁市范围内。", "lon");
        if (!caller.Covers(place.GridCode)) return Problems.Forbidden("该位置不在您的辖区内：走访登记在自己负责的网格（村、社区）内。");

        var client = body.ClientKey ?? Guid.NewGuid().ToString();
        await using var conn = await db.OpenConnectionAsync(ct);
        var id = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(Insert, new
        {
            grid = place.GridCode, staff, kind = body.Kind, key = Squeeze(body.Key!), lon = body.Lon, lat = body.Lat,
            notes = string.IsNullOrWhiteSpace(body.Notes) ? null : body.Notes.Trim(), at = body.VisitedAt ?? now, client,
            problems = (body.Problems ?? []).Select(p => p.Description!.Trim()).ToArray(),
        }, cancellationToken: ct));
        if (id is { } created) return TypedResults.Created($"/api/visits/{created}", await VisitRow.LoadAsync(conn, null, created, ct));

        // The key was used before: that visit is the answer (a resend whose first answer was lost).
        var earlier = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT id FROM visit WHERE staff_id = @staff AND client_key = @client", new { staff, client }, cancellationToken: ct));
        return TypedResults.Ok(await VisitRow.LoadAsync(conn, null, earlier, ct));
    }

    /// <summary>Inner runs of white space made one space, the ends trimmed: what the list shows and coverage counts (by <c>household_key</c>).</summary>
    static string Squeeze(string text) => System.Text.RegularExpressions.Regex.Replace(text.Trim(), @"\s+", " ");

    static bool Controls(string? text) => text is not null && text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'));

    static Dictionary<string, string[]> Validate(NewVisit b, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (b.Kind is null || !VisitsApi.Kinds.Contains(b.Kind)) errors["kind"] = ["kind 应为 household（入户走访）或 place（场所排查）。"];
        if (string.IsNullOrWhiteSpace(b.Key)) errors["key"] = ["请填写门牌号或场所名称。"];
        else if (b.Key.Trim().Length > MaxKey) errors["key"] = [$"门牌号或场所名称不能超过 {MaxKey} 字。"];
        else if (b.Key.Any(char.IsControl)) errors["key"] = ["门牌号或场所名称不能包含控制字符。"];
        if (b.Lon is not { } lon || !double.IsFinite(lon) || lon is < -180 or > 180) errors["lon"] = ["lon 应为 -180 到 180 之间的经度。"];
        if (b.Lat is not { } lat || !double.IsFinite(lat) || lat is < -90 or > 90) errors["lat"] = ["lat 应为 -90 到 90 之间的纬度。"];
        if (b.Notes is { Length: > MaxNotes }) errors["notes"] = [$"走访情况不能超过 {MaxNotes} 字。"];
        else if (Controls(b.Notes)) errors["notes"] = ["走访情况不能包含控制字符。"];
        if (b.VisitedAt is { } at && (at > now + Skew || at < now - MaxAge)) errors["visitedAt"] = ["走访时间应在最近 30 天内，且不能晚于现在。"];
        if (b.ClientKey is { } key && (key.Length is 0 or > MaxClientKey || key.Any(c => c is < '!' or > '~')))
            errors["clientKey"] = [$"clientKey 须为 1 到 {MaxClientKey} 个可见 ASCII 字符（如一个 UUID）。"];
        if (b.Problems is { Count: > VisitsApi.MaxProblems }) errors["problems"] = [$"一次走访最多登记 {VisitsApi.MaxProblems} 个问题。"];
        else
            for (var n = 0; n < (b.Problems?.Count ?? 0); n++)
            {
                var text = b.Problems![n]?.Description;
                if (string.IsNullOrWhiteSpace(text)) errors[$"problems[{n}].description"] = ["请填写发现的问题。"];
                else if (text.Trim().Length > MaxProblem) errors[$"problems[{n}].description"] = [$"问题描述不能超过 {MaxProblem} 字。"];
                else if (Controls(text)) errors[$"problems[{n}].description"] = ["问题描述不能包含控制字符。"];
            }
        return errors;
    }
}
