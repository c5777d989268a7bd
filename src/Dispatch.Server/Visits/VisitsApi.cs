using Microsoft.AspNetCore.Mvc;

namespace Dispatch.Server.Visits;

/// <summary>
/// 大走访、大排查: field staff log their visits to households and places from the phone, with the
/// problems they found (each one step from an incident); coverage per grid and period is the
/// distinct households visited against the grid's registered count, which administrators keep.
/// </summary>
public static class VisitsApi
{
    public static IEndpointRouteBuilder MapVisits(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/visits").WithTags("Visits");
        api.MapPost("/", LogVisit.Handle).RequireAuthorization(Roles.Can.Report)
            .WithMetadata(new RequestSizeLimitAttribute(64 << 10))
            .Accepts<NewVisit>("application/json").Produces<VisitView>(201).Produces<VisitView>(200);
        api.MapGet("/", ListVisits.Handle).Produces<VisitPage>();
        api.MapPost("/{id:long}/problems/{index}/incident", ProblemToIncident.Handle).RequireAuthorization(Roles.Can.Report)
            .WithMetadata(new RequestSizeLimitAttribute(16 << 10))
            .Accepts<ProblemIncident>("application/json").Produces<Incidents.IncidentView>(201).Produces<Incidents.IncidentView>(200);
        api.MapGet("/coverage", GetCoverage.Handle).Produces<CoverageView>();
        api.MapGet("/coverage/map", GetCoverageMap.Handle).Produces<string>(200, "application/geo+json");
        app.MapPut("/api/grids/{code}/households", SetHouseholds.Handle).WithTags("Visits").RequireAuthorization(Roles.Can.Dispatch)
            .WithMetadata(new RequestSizeLimitAttribute(1 << 10))
            .Accepts<GridHouseholds>("application/json").Produces<GridHouseholdsView>();
        return app;
    }

    public static readonly string[] Kinds = ["household", "place"];
    public const int MaxProblems = 20;

    /// <summary>The view's columns over <c>visit v</c> and <c>staff s</c>, problems as a JSON array, in <see cref="VisitRow"/>'s order.</summary>
    public const string Columns = """
        v.id, v.grid_code, s.code AS staff_code, v.kind, v.place_key, ST_X(v.location) AS lon, ST_Y(v.location) AS lat, v.notes, v.visited_at,
        v.created_at, coalesce((SELECT json_agg(json_build_object('index', p.ordinal, 'description', p.description, 'incidentId', p.incident_id)
                                ORDER BY p.ordinal) FROM visit_problem p WHERE p.visit_id = v.id), '[]')::text AS problems
        """;

    /// <summary>Whether a caller may see (and act on) a visit: their own, or one in their area if they run a centre.</summary>
    public static bool MaySee(CurrentUser caller, long staffId, string gridCode) =>
        caller.StaffId is { } me ? me == staffId : !caller.Is(Roles.Department) && caller.Covers(gridCode);
}

/// <param name="Index">0-based, in the order the visit listed them: the <c>{index}</c> of the incident route.</param>
/// <param name="IncidentId">The incident made from it (转为事件), if any.</param>
public sealed record VisitProblemView(int Index, string Description, long? IncidentId);

/// <param name="Key">A door number (3号楼2单元301) or a place's name: never a person's name.</param>
public sealed record VisitView(long Id, string GridCode, string StaffCode, string Kind, string Key, double Lon, double Lat, string? Notes,
    DateTimeOffset VisitedAt, DateTimeOffset CreatedAt, IReadOnlyList<VisitProblemView> Problems);

public sealed record VisitPage(IReadOnlyList<VisitView> Items, long Total, int Page, int PageSize);

/// <summary>A visit as <see cref="VisitsApi.Columns"/> reads it.</summary>
sealed record VisitRow(long Id, string GridCode, string StaffCode, string Kind, string PlaceKey, double Lon, double Lat, string? Notes,
    DateTimeOffset VisitedAt, DateTimeOffset CreatedAt, string Problems)
{
    static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    public VisitView ToView() => new(Id, GridCode, StaffCode, Kind, PlaceKey, Lon, Lat, Notes, Clock.Local(VisitedAt), Clock.Local(CreatedAt),
        System.Text.Json.JsonSerializer.Deserialize<List<VisitProblemView>>(Problems, Json)!);

    public static async Task<VisitView?> LoadAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, long id, CancellationToken ct) =>
        (await conn.QuerySingleOrDefaultAsync<VisitRow>(new CommandDefinition(
            $"SELECT {VisitsApi.Columns} FROM visit v JOIN staff s ON s.id = v.staff_id WHERE v.id = @id", new { id }, tx, cancellationToken: ct)))?.ToView();
}
