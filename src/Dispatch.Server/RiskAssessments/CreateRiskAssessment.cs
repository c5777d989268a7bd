namespace Dispatch.Server.RiskAssessments;

/// <summary>
/// A decision or project entered in the register of the caller's area. One entered as already being
/// carried out without a passed assessment raises its alert in the same transaction.
/// </summary>
public static class CreateRiskAssessment
{
    const string Insert = """
        INSERT INTO risk_assessment (kind_code, title, description, region_code, position, responsible_unit, risk_level, result, status,
                                     assessed_at, assessed_by, created_by)
        VALUES (@kind, @title, @description, @regionCode,
                CASE WHEN @lon::float8 IS NOT NULL THEN ST_SetSRID(ST_MakePoint(@lon::float8, @lat::float8), 4326) END,
                @unit, @level, @result, @status,
                CASE WHEN @result <> 'pending' THEN now() END, CASE WHEN @result <> 'pending' THEN @by END, @by)
        RETURNING id
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<RiskAssessmentInput>(http, ct);
        if (malformed is not null) return malformed;
        if (body!.Errors() is { Count: > 0 } errors) return Problems.Invalid(errors);
        var parameters = body.Parameters(caller);

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var region = await conn.QuerySingleOrDefaultAsync<RiskAssessmentInput.RegionCheck>(new CommandDefinition(RiskAssessmentInput.RegionSql,
            parameters, tx, cancellationToken: ct));
        if (RiskAssessmentInput.Problem(region, body.RegionCode!) is { } refused) return refused;
        var id = await conn.ExecuteScalarAsync<long>(new CommandDefinition(Insert, parameters, tx, cancellationToken: ct));
        var view = (await ListRiskAssessments.LoadAsync(conn, tx, id, caller, ct))!;
        if (RiskAssessment.OnWrite(false, view.Flagged) == RiskAssessment.AlertChange.Raise) await UnassessedAlert.RaiseAsync(conn, tx, view, clock, ct);
        await tx.CommitAsync(ct);

        view = (await ListRiskAssessments.LoadAsync(conn, null, id, caller, ct))!;
        http.Response.Headers.ETag = view.ETag;
        return TypedResults.Created($"/api/risk-assessments/{id}", view);
    }
}
