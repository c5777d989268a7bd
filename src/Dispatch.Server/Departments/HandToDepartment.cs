namespace Dispatch.Server.Departments;

public sealed record NewDepartmentTask(string? DepartmentCode, string? Instructions, DateTimeOffset? Deadline);

/// <summary>The responsible centre hands an open case to a department (one live task per department and case), by a deadline within a year.</summary>
public static class HandToDepartment
{
    const string Insert = $"""
        WITH changed AS (
            INSERT INTO department_task (incident_id, department_code, from_centre, instructions, deadline, created_by)
            SELECT @id, d.code, @centre, @instructions, @deadline, @by FROM department d WHERE d.code = @department
            ON CONFLICT DO NOTHING RETURNING id, incident_id, department_code),
        announced AS (
            {TaskAnnouncement.AnnounceChanged})
        SELECT id FROM changed
        """;

    sealed record Row(string Status, string CentreCode);

    public static async Task<IResult> Handle(long id, HttpContext http, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<NewDepartmentTask>(http, ct);
        if (malformed is not null) return malformed;
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body?.DepartmentCode) || body.DepartmentCode.Length > 32) errors["departmentCode"] = ["请选择承办部门 departmentCode。"];
        if (string.IsNullOrWhiteSpace(body?.Instructions) || body.Instructions.Length > 2000) errors["instructions"] = ["请写明交办要求（不超过 2000 字）。"];
        if (body?.Deadline is not { } deadline || deadline <= now || deadline > now.AddYears(1)) errors["deadline"] = ["请给出一年之内的办理时限 deadline。"];
        if (errors.Count > 0) return Problems.Invalid(errors);

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT i.status, i.centre_code FROM incident i WHERE i.id = @id AND ({CurrentUser.CoversSql("@region", "i.grid_code")} OR i.centre_code = @region) FOR UPDATE",
            new { id, region = caller.RegionCode }, tx, cancellationToken: ct));
        if (row is null) return Problems.NotFound($"没有编号为 {id} 的事件，或它不在您的辖区内。");
        if (row.CentreCode != caller.RegionCode) return Problems.Forbidden("只有负责该事件的综治中心可以交由部门办理。");
        if (row.Status is not ("accepted" or "dispatched" or "acknowledged" or "on_scene" or "escalated"))
            return Problems.Conflict($"事件当前状态为 {row.Status}，不能交由部门办理。");
        var task = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(Insert, new
        {
            id, centre = row.CentreCode, instructions = body!.Instructions!.Trim(), deadline = body.Deadline!.Value.ToUniversalTime(), by = caller.Username,
            department = body.DepartmentCode, action = "hand_to_department", type = TaskAnnouncement.Type,
        }, tx, cancellationToken: ct));
        if (task is null)
            return await conn.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM department WHERE code = @department)",
                    new { department = body.DepartmentCode }, tx, cancellationToken: ct))
                ? Problems.Conflict("该部门已有本事件未办结的任务。")
                : Problems.Invalid("departmentCode", $"没有编码为 {body.DepartmentCode} 的部门。");
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/departments/tasks/{task}", await ListTasks.LoadAsync(conn, task.Value, clock, ct));
    }
}
