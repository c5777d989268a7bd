namespace Dispatch.Server.Departments;

/// <param name="Accepted">True: the result stands (verified); false: back to the department (accepted again) with <paramref name="Note"/>.</param>
public sealed record TaskVerdict(bool? Accepted, string? Note);

/// <summary>The handing centre checks a department's reported result.</summary>
public static class VerifyTask
{
    const string Sql = $"""
        WITH changed AS (
        UPDATE department_task SET status = CASE WHEN @accepted THEN 'verified' ELSE 'accepted' END, version = version + 1,
               reason = CASE WHEN @accepted THEN reason ELSE @note END,
               verified_by = CASE WHEN @accepted THEN @by END, verified_at = CASE WHEN @accepted THEN now() END
        WHERE id = @id AND from_centre = @region AND status = 'reported'
        RETURNING incident_id, department_code)
        {TaskAnnouncement.AnnounceChanged}
        """;

    public static async Task<IResult> Handle(long id, HttpContext http, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<TaskVerdict>(http, ct);
        if (malformed is not null) return malformed;
        if (body?.Accepted is not { } accepted) return Problems.Invalid("accepted", "accepted 应为 true（认可结果）或 false（退回部门重办）。");
        if (!accepted && string.IsNullOrWhiteSpace(body.Note)) return Problems.Invalid("note", "退回部门重办须写明理由。");
        if (body.Note is { Length: > 4000 }) return Problems.Invalid("note", "说明不能超过 4000 字。");

        await using var conn = await db.OpenConnectionAsync(ct);
        var task = await conn.QuerySingleOrDefaultAsync<(string FromCentre, string Status)?>(new CommandDefinition(
            $"SELECT t.from_centre, t.status FROM department_task t JOIN incident i ON i.id = t.incident_id WHERE t.id = @id AND ({CurrentUser.CoversSql("@region", "i.grid_code")} OR t.from_centre = @region)",
            new { id, region = caller.RegionCode }, cancellationToken: ct));
        if (task is not { } t) return Problems.NotFound($"没有编号为 {id} 的部门任务，或它不在您的辖区内。");
        if (t.FromCentre != caller.RegionCode) return Problems.Forbidden("部门办理结果由交办的综治中心核查。");
        if (await conn.ExecuteAsync(new CommandDefinition(Sql, new { id, region = caller.RegionCode, accepted, note = body.Note?.Trim(), by = caller.Username, action = "department_verify", type = TaskAnnouncement.Type },
                cancellationToken: ct)) == 0)
            return Problems.Conflict($"任务当前状态为 {t.Status}，尚无可核查的结果。");
        return TypedResults.Ok(await ListTasks.LoadAsync(conn, id, clock, ct));
    }
}
