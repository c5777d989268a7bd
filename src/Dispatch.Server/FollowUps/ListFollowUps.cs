using Dispatch.Server.Incidents;
using Dispatch.Server.Privacy;

namespace Dispatch.Server.FollowUps;

/// <param name="ReporterName">In full for those who handle cases (dispatchers, supervisors), masked for the rest, as on the incident.</param>
/// <param name="ReporterPhone">The number to call, by the same rule.</param>
/// <param name="CentreCode">The centre that closed the case.</param>
public sealed record FollowUpView(long Id, long IncidentId, string Category, string Description, DateOnly DueOn, string Status, string? Result,
    string? Note, string? DoneBy, DateTimeOffset? DoneAt, string CentreCode, string? ReporterName, string? ReporterPhone);

public sealed record FollowUpPage(IReadOnlyList<FollowUpView> Items, long Total, int Page, int PageSize);

/// <summary>The follow-ups of the caller's area (where the case is, as for the incident itself): due ones first, the earliest first.</summary>
public static class ListFollowUps
{
    static readonly string Sql = $"""
        SELECT {FollowUpsApi.Columns}, count(*) OVER () AS total
        FROM follow_up f JOIN incident i ON i.id = f.incident_id JOIN category c ON c.code = i.category_code
        WHERE {GetIncident.VisibleSql()}
          AND (@status::text IS NULL OR f.status = @status)
          AND (@regionCode::text IS NULL OR {CurrentUser.CoversSql("@regionCode", "i.grid_code")})
        ORDER BY f.status = 'done', CASE WHEN f.status = 'due' THEN f.due_on END, f.done_at DESC, f.id
        LIMIT @limit OFFSET @offset
        """;

    public sealed record Row(long Id, long IncidentId, string CategoryName, string Description, DateOnly DueOn, string Status, string? Result,
        string? Note, string? DoneBy, DateTimeOffset? DoneAt, string CentreCode, byte[]? ReporterName, byte[]? ReporterPhone, long Total)
    {
        // As GetIncident decides: the reporter in full only for those who handle the case.
        public FollowUpView ToView(CurrentUser caller, PersonalData personal)
        {
            var handles = caller.Is(Roles.Dispatcher) || caller.Is(Roles.Supervisor);
            var name = personal.Unprotect(ReporterName);
            var phone = personal.Unprotect(ReporterPhone);
            return new FollowUpView(Id, IncidentId, CategoryName, Description, DueOn, Status, Result, Note, DoneBy, Clock.Local(DoneAt), CentreCode,
                handles ? name : PersonalData.MaskName(name), handles ? phone : PersonalData.MaskPhone(phone));
        }
    }

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, PersonalData personal, string? status, string? regionCode,
        int? page, int? pageSize, CancellationToken ct)
    {
        var caller = http.Caller();
        var errors = new Dictionary<string, string[]>();
        if (status is not (null or "due" or "done")) errors["status"] = ["status 应为 due（待回访）或 done（已回访）。"];
        if (page is < 1 or > ListIncidents.MaxPage) errors["page"] = [$"page 应在 1 到 {ListIncidents.MaxPage} 之间。"];
        if (pageSize is < 1 or > 500) errors["pageSize"] = ["pageSize 应在 1 到 500 之间。"];
        if (regionCode is not null && !System.Text.RegularExpressions.Regex.IsMatch(regionCode, "^[0-9]{6,15}$"))
            errors["regionCode"] = ["regionCode 应为 6 到 15 位区划代码。"];
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (regionCode is not null && !caller.Covers(regionCode)) return Problems.NotFound($"区域 {regionCode} 不在您的辖区内。");
        var (p, size) = (page ?? 1, pageSize ?? 50);

        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<Row>(new CommandDefinition(Sql, new
        {
            region = caller.RegionCode, staff = caller.StaffId, status, regionCode, limit = size, offset = (long)(p - 1) * size,
        }, cancellationToken: ct))).ToList();
        return TypedResults.Ok(new FollowUpPage([.. rows.Select(r => r.ToView(caller, personal))], rows.Count > 0 ? rows[0].Total : 0, p, size));
    }
}
