using Dispatch.Server.Incidents;
using Dispatch.Server.Privacy;
using Dispatch.Server.Regions;
using Dispatch.Server.Supervision;

namespace Dispatch.Server.Visits;

/// <param name="CategoryCode">The incident's category, chosen by the caller.</param>
/// <param name="Priority">1 (most urgent) to 4; the category's default when absent.</param>
public sealed record ProblemIncident(string? CategoryCode, int? Priority);

/// <summary>
/// 转为事件: a problem found on a visit filed as an incident in one step — at the visit's position,
/// described by the problem, by the worker who made the visit (or a centre of its area) — through
/// intake's own insert (<see cref="CreateIncident.InsertAsync"/>: grid, SLA clock, centre, timeline,
/// live event), linked to the problem in the same transaction. Once per problem: asked again, the
/// answer is the incident already made (200), so the phone's outbox may resend it safely.
/// </summary>
public static class ProblemToIncident
{
    const string Lock = """
        SELECT v.staff_id, v.grid_code, v.kind, v.place_key, ST_X(v.location) AS lon, ST_Y(v.location) AS lat, p.description, p.incident_id
        FROM visit_problem p JOIN visit v ON v.id = p.visit_id WHERE p.visit_id = @id AND p.ordinal = @index FOR UPDATE OF p
        """;

    sealed record Row(long StaffId, string GridCode, string Kind, string PlaceKey, double Lon, double Lat, string Description, long? IncidentId);

    public static async Task<IResult> Handle(long id, int index, HttpContext http, NpgsqlDataSource db, GridLocator locator, PersonalData personal,
        WorkingCalendar calendar, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<ProblemIncident>(http, ct);
        if (malformed is not null) return malformed;
        if (string.IsNullOrWhiteSpace(body!.CategoryCode) || body.CategoryCode.Length > 64) return Problems.Invalid("categoryCode", "请选择事件类别。");
        if (body.Priority is < 1 or > 4) return Problems.Invalid("priority", "优先级应为 1（紧急）到 4（一般）。");

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Lock, new { id, index }, tx, cancellationToken: ct));
        if (row is null || !VisitsApi.MaySee(caller, row.StaffId, row.GridCode))
            return Problems.NotFound($"没有走访 {id} 的第 {index + 1} 个问题，或它不在您的辖区内。");
        if (row.IncidentId is { } made)
        {
            await tx.RollbackAsync(ct);
            return await AnswerAsync(conn, made, caller, personal, http, created: false, ct);
        }

        if (await CategorySla.FindAsync(conn, tx, body.CategoryCode, (short?)body.Priority, ct) is not { } sla)
            return Problems.Invalid("categoryCode", $"没有编码为 {body.CategoryCode} 的事件类别。");
        var place = locator.Locate(row.Lon, row.Lat) ?? throw new InvalidOperationException($"Visit {id} lies outside every grid.");
        var where = row.Kind == "household" ? "住户" : "场所";
        var description = $"【走访发现】{row.Description}（{where}：{row.PlaceKey}，走访 #{id}）";
        var incident = await CreateIncident.InsertAsync(conn, tx, new CreateIncident.NewIncident(body.CategoryCode, row.Lon, row.Lat,
            (short)(body.Priority ?? sla.DefaultPriority), description.Length > 4000 ? description[..4000] : description, place, "grid_worker",
            null, null, caller.Username, StageClock.Start(calendar, clock.GetUtcNow(), sla.AcceptMinutes, sla.WorkingHours),
            Centres.Of(place, sla.StartLevel)), ct);
        await conn.ExecuteAsync(new CommandDefinition("UPDATE visit_problem SET incident_id = @incident WHERE visit_id = @id AND ordinal = @index",
            new { incident, id, index }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return await AnswerAsync(conn, incident, caller, personal, http, created: true, ct);
    }

    static async Task<IResult> AnswerAsync(NpgsqlConnection conn, long incident, CurrentUser caller, PersonalData personal, HttpContext http,
        bool created, CancellationToken ct)
    {
        var view = await GetIncident.LoadAsync(conn, null, incident, caller, personal, ct);
        if (view is null) return TypedResults.Accepted($"/api/incidents/{incident}"); // filed outside the caller's own view
        http.Response.Headers.ETag = view.ETag;
        return created ? TypedResults.Created($"/api/incidents/{incident}", view) : TypedResults.Ok(view);
    }
}
