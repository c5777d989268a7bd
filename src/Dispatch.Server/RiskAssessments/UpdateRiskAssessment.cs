namespace Dispatch.Server.RiskAssessments;

/// <summary>
/// The whole entry written again on the version its author read (<c>If-Match</c>: 428 without, 412
/// when stale). Both the entry and its new region must be in the caller's area. A write that makes
/// the project flagged raises its alert; one that makes it no longer flagged closes it
/// (<see cref="RiskAssessment.OnWrite"/>), in the same transaction.
/// </summary>
public static class UpdateRiskAssessment
{
    static readonly string Lock =
        $"SELECT status, result, version FROM risk_assessment r WHERE id = @id AND {CurrentUser.CoversSql("@region", "r.region_code")} FOR UPDATE";

    // Who recorded the result and when follow the result: a new result (or level) is recorded now by this caller.
    const string Update = """
        UPDATE risk_assessment SET kind_code = @kind, title = @title, description = @description, region_code = @regionCode,
            position = CASE WHEN @lon::float8 IS NOT NULL THEN ST_SetSRID(ST_MakePoint(@lon::float8, @lat::float8), 4326) END,
            responsible_unit = @unit, risk_level = @level, result = @result, status = @status,
            assessed_at = CASE WHEN @result = 'pending' THEN NULL
                               WHEN (result, risk_level) IS DISTINCT FROM (@result::text, @level::text) OR assessed_at IS NULL THEN now() ELSE assessed_at END,
            assessed_by = CASE WHEN @result = 'pending' THEN NULL
                               WHEN (result, risk_level) IS DISTINCT FROM (@result::text, @level::text) OR assessed_by IS NULL THEN @by ELSE assessed_by END,
            version = version + 1, updated_at = now()
        WHERE id = @id
        """;

    sealed record Locked(string Status, string Result, int Version);

    public static async Task<IResult> Handle(long id, HttpContext http, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<RiskAssessmentInput>(http, ct);
        if (malformed is not null) return malformed;
        if (body!.Errors() is { Count: > 0 } errors) return Problems.Invalid(errors);
        if (IfMatch.Read(http.Request, out var expected) is { } missing) return missing;
        var parameters = body.Parameters(caller, id);

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var before = await conn.QuerySingleOrDefaultAsync<Locked>(new CommandDefinition(Lock, new { id, region = caller.RegionCode }, tx, cancellationToken: ct));
        if (before is null) return ListRiskAssessments.NotFound(id);
        if (before.Version != expected) return Problems.Stale($"该项目已被他人更新（当前版本 {before.Version}，您看到的是 {expected}），请刷新后再修改。");
        var region = await conn.QuerySingleOrDefaultAsync<RiskAssessmentInput.RegionCheck>(new CommandDefinition(RiskAssessmentInput.RegionSql,
            parameters, tx, cancellationToken: ct));
        if (RiskAssessmentInput.Problem(region, body.RegionCode!) is { } refused) return refused;
        await conn.ExecuteAsync(new CommandDefinition(Update, parameters, tx, cancellationToken: ct));
        var view = (await ListRiskAssessments.LoadAsync(conn, tx, id, caller, ct))!;
        switch (RiskAssessment.OnWrite(RiskAssessment.Flagged(before.Status, before.Result), view.Flagged))
        {
            case RiskAssessment.AlertChange.Raise: await UnassessedAlert.RaiseAsync(conn, tx, view, clock, ct); break;
            case RiskAssessment.AlertChange.Close: await UnassessedAlert.CloseAsync(conn, tx, view, caller, ct); break;
        }
        await tx.CommitAsync(ct);

        view = (await ListRiskAssessments.LoadAsync(conn, null, id, caller, ct))!;
        http.Response.Headers.ETag = view.ETag;
        return TypedResults.Ok(view);
    }
}
