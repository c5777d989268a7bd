using Dispatch.Server.Live;

namespace Dispatch.Server.SupervisionOrders;

public sealed record NewSupervisionOrder(long? IncidentId, DateTimeOffset? DueBy, string? Note);

/// <summary>A supervisor's 督办 on an open case of their area, by a date within a year; the case's screens hear of it live.</summary>
public static class OrderSupervision
{
    static readonly string Insert = $"""
        WITH target AS (
            SELECT i.* FROM incident i
            WHERE i.id = @incidentId AND {CurrentUser.CoversSql("@region", "i.grid_code")} FOR UPDATE),
        ordered AS (
            INSERT INTO supervision_order (incident_id, ordered_by, centre_code, due_by, note)
            SELECT id, @by, centre_code, @dueBy, @note FROM target
            WHERE status IN ('reported', 'accepted', 'dispatched', 'acknowledged', 'on_scene', 'escalated', 'resolved', 'verified')
            RETURNING id)
        SELECT (SELECT status FROM target) AS status, (SELECT id FROM ordered) AS id
        """;

    const string Announce = """
        INSERT INTO outbox (type, scope, also_scopes, to_field, staff_ids, data)
        SELECT @type, i.grid_code, live_also_scopes(i), false, '{}', live_incident(i, c.name, 'supervise', @by)
        FROM incident i JOIN category c ON c.code = i.category_code WHERE i.id = @incidentId
        """;

    sealed record Created(string? Status, long? Id);

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<NewSupervisionOrder>(http, ct);
        if (malformed is not null) return malformed;
        var errors = new Dictionary<string, string[]>();
        var now = clock.GetUtcNow();
        if (body?.IncidentId is null) errors["incidentId"] = ["请给出督办的事件编号 incidentId。"];
        if (body?.DueBy is not { } dueBy || dueBy <= now || dueBy > now.AddYears(1)) errors["dueBy"] = ["请给出一年之内的办结日期 dueBy。"];
        if (string.IsNullOrWhiteSpace(body?.Note)) errors["note"] = ["请写明督办要求。"];
        else if (body.Note.Length > 2000) errors["note"] = ["督办要求不能超过 2000 字。"];
        if (errors.Count > 0) return Problems.Invalid(errors);

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var created = await conn.QuerySingleAsync<Created>(new CommandDefinition(Insert, new
        {
            incidentId = body!.IncidentId, region = caller.RegionCode, by = caller.Username, dueBy = body.DueBy!.Value.ToUniversalTime(), note = body.Note!.Trim(),
        }, tx, cancellationToken: ct));
        if (created.Status is null) return Problems.NotFound($"没有编号为 {body.IncidentId} 的事件，或它不在您的辖区内。");
        if (created.Id is not { } id) return Problems.Conflict($"事件已{created.Status}，无需督办。");
        await conn.ExecuteAsync(new CommandDefinition(Announce, new { type = EventTypes.IncidentUpdated, incidentId = body.IncidentId, by = caller.Username },
            tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        var view = await conn.QuerySingleAsync<SupervisionOrderView>(new CommandDefinition($"{ListOrders.Select} WHERE o.id = @id", new { id, now },
            cancellationToken: ct));
        return TypedResults.Created($"/api/supervision-orders/{id}", ListOrders.Local(view));
    }
}
