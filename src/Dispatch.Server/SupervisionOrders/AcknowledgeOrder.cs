namespace Dispatch.Server.SupervisionOrders;

/// <summary>The responsible centre acknowledges a 督办 on its case (签收); once.</summary>
public static class AcknowledgeOrder
{
    const string Sql = """
        UPDATE supervision_order o SET status = 'acknowledged', acknowledged_by = @by, acknowledged_at = now()
        FROM incident i WHERE o.id = @id AND i.id = o.incident_id AND i.centre_code = @region AND o.status = 'open'
        RETURNING o.id
        """;

    public static async Task<IResult> Handle(long id, HttpContext http, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.Caller();
        await using var conn = await db.OpenConnectionAsync(ct);
        var now = clock.GetUtcNow();
        var order = await conn.QuerySingleOrDefaultAsync<SupervisionOrderView>(new CommandDefinition(
            $"{ListOrders.Select} WHERE o.id = @id AND {CurrentUser.CoversSql("@region", "i.grid_code")}",
            new { id, now, region = caller.RegionCode }, cancellationToken: ct));
        if (order is null) return Problems.NotFound($"没有编号为 {id} 的督办，或它不在您的辖区内。");
        if (order.CentreCode != caller.RegionCode) return Problems.Forbidden($"督办应由负责该事件的{order.CentreName}综治中心签收。");
        if (await conn.ExecuteScalarAsync<long?>(new CommandDefinition(Sql, new { id, region = caller.RegionCode, by = caller.Username },
                cancellationToken: ct)) is null)
            return Problems.Conflict($"该督办已{(order.Status == "done" ? "办结" : "签收")}。");
        var view = await conn.QuerySingleAsync<SupervisionOrderView>(new CommandDefinition($"{ListOrders.Select} WHERE o.id = @id", new { id, now },
            cancellationToken: ct));
        return TypedResults.Ok(ListOrders.Local(view));
    }
}
