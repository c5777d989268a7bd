
namespace Dispatch.Server.Duty;

public sealed record DutySwitch(bool? OnDuty);

/// <summary>
/// The field app's duty switch (在岗/离岗): off keeps the person out of recommendations until they
/// switch on or their next rostered shift starts; on puts them on duty, outside a shift for 12 hours.
/// </summary>
public static class SetMyDuty
{
    const string Sql = """
        UPDATE staff SET duty_switch = @to, duty_switched_at = @now WHERE id = @id;
        SELECT s.id AS staff_id, s.code, s.name, s.kind, s.grid_code, s.status, d.on_duty, d.source, d.shift_ends_at
        FROM staff s CROSS JOIN LATERAL duty_of(s, @now) d WHERE s.id = @id
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.Caller();
        if (caller.StaffId is not { } staffId) return Problems.Forbidden("只有外勤人员账号有在岗状态。");
        var (body, malformed) = await JsonBody.ReadAsync<DutySwitch>(http, ct);
        if (malformed is not null) return malformed;
        if (body?.OnDuty is not { } on) return Problems.Invalid("onDuty", "onDuty 应为 true（在岗）或 false（离岗）。");

        await using var conn = await db.OpenConnectionAsync(ct);
        var now = clock.GetUtcNow();
        var state = await conn.QuerySingleAsync<DutyState>(new CommandDefinition(Sql, new { id = staffId, to = on ? "on" : "off", now },
            cancellationToken: ct));
        return TypedResults.Ok(state with { ShiftEndsAt = Clock.Local(state.ShiftEndsAt) });
    }
}
