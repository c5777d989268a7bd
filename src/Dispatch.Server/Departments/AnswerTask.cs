namespace Dispatch.Server.Departments;

public sealed record TaskAnswer(string? Note);

/// <summary>
/// The department's answer: <c>accept</c> an assigned task (签收), <c>return</c> it with a reason (not
/// ours: 退回), or <c>report</c> the result of an accepted one (办结反馈) — each once, in that order.
/// </summary>
public static class AnswerTask
{
    static readonly Dictionary<string, (string From, string To)> Steps = new()
    {
        ["accept"] = ("assigned", "accepted"), ["return"] = ("assigned", "returned"), ["report"] = ("accepted", "reported"),
    };

    const string Sql = $"""
        WITH changed AS (
        UPDATE department_task SET status = @to, version = version + 1,
               reason = CASE WHEN @to = 'returned' THEN @note ELSE reason END,
               result = CASE WHEN @to = 'reported' THEN @note ELSE result END,
               accepted_by = CASE WHEN @to = 'accepted' THEN @by ELSE accepted_by END, accepted_at = CASE WHEN @to = 'accepted' THEN now() ELSE accepted_at END,
               reported_by = CASE WHEN @to IN ('reported', 'returned') THEN @by ELSE reported_by END,
               reported_at = CASE WHEN @to IN ('reported', 'returned') THEN now() ELSE reported_at END
        WHERE id = @id AND 'dept-' || department_code = @region AND status = @from
        RETURNING incident_id, department_code)
        {TaskAnnouncement.AnnounceChanged}
        """;

    public static readonly string[] Answers = ["accept", "return", "report"];

    public static async Task<IResult> Handle(long id, string answer, HttpContext http, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<TaskAnswer>(http, ct);
        if (malformed is not null) return malformed;
        var (from, to) = Steps[answer];
        if (to is "returned" or "reported" && string.IsNullOrWhiteSpace(body?.Note))
            return Problems.Invalid("note", to == "returned" ? "退回须写明理由。" : "请写明办理结果。");
        if (body?.Note is { Length: > 4000 }) return Problems.Invalid("note", "说明不能超过 4000 字。");

        await using var conn = await db.OpenConnectionAsync(ct);
        var status = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM department_task WHERE id = @id AND 'dept-' || department_code = @region", new { id, region = caller.RegionCode }, cancellationToken: ct));
        if (status is null) return Problems.NotFound($"没有编号为 {id} 的部门任务，或它不是本部门的。");
        if (await conn.ExecuteAsync(new CommandDefinition(Sql, new { id, region = caller.RegionCode, from, to, note = body?.Note?.Trim(), by = caller.Username, action = $"department_{answer}", type = TaskAnnouncement.Type },
                cancellationToken: ct)) == 0)
            return Problems.Conflict($"任务当前状态为 {status}，不能{answer switch { "accept" => "签收", "return" => "退回", _ => "反馈结果" }}。");
        return TypedResults.Ok(await ListTasks.LoadAsync(conn, id, clock, ct));
    }
}
