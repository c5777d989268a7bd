using Dispatch.Server.Staff;

namespace Dispatch.Server.Incidents;

public sealed record Candidate(long StaffId, string StaffCode, string Name, string Kind, string GridCode, double DistanceMetres,
    bool FromLastPosition, string Reason);
public sealed record RoleRecommendation(string Role, string RoleName, Candidate? Recommended, IReadOnlyList<Candidate> Alternatives);

/// <summary>
/// For each role the incident's category needs, the nearest available people inside the caller's
/// area (a district's centre sends its own staff; the city's may send anyone): by their last
/// reported position, else their grid's service point; busy and off-duty people (<c>on_duty</c>, db/migrations/0012_duty.sql)
/// are never offered.
/// PostGIS orders by geodesic distance with the GiST index (KNN, <c>&lt;-&gt;</c> on geography).
/// </summary>
public static class Recommendations
{
    public const int PerRole = 3;

    /// <summary>One round trip: the roles the category needs (no row: not visible), then the candidates.</summary>
    static readonly string Sql = $"""
        SELECT c.roles FROM incident i JOIN category c ON c.code = i.category_code WHERE i.id = @id AND ({CurrentUser.CoversSql("@region", "i.grid_code")} OR i.centre_code = @region);

        SELECT r.role AS wanted, s.id AS staff_id, s.code AS staff_code, s.name, s.kind, s.grid_code,
               ST_Distance(s.position, i.location::geography) AS metres, s.position_at IS NOT NULL AS from_last_position
        FROM incident i JOIN category c ON c.code = i.category_code
        CROSS JOIN LATERAL unnest(c.roles) WITH ORDINALITY AS r(role, n)
        CROSS JOIN LATERAL (
            SELECT * FROM staff s WHERE s.kind = r.role AND s.status = 'available' AND on_duty(s, @now) AND {CurrentUser.CoversSql("@region", "s.grid_code")}
            ORDER BY s.position <-> i.location::geography LIMIT {PerRole}) s
        WHERE i.id = @id AND ({CurrentUser.CoversSql("@region", "i.grid_code")} OR i.centre_code = @region)
        ORDER BY r.n, ST_Distance(s.position, i.location::geography)
        """;

    sealed record Needs(string[] Roles);

    sealed record Row(string Wanted, long StaffId, string StaffCode, string Name, string Kind, string GridCode, double Metres, bool FromLastPosition);

    public static async Task<IResult> Handle(long id, HttpContext http, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var read = await conn.QueryMultipleAsync(new CommandDefinition(Sql, new { id, region = http.Caller().RegionCode, now = clock.GetUtcNow() }, cancellationToken: ct));
        if (await read.ReadSingleOrDefaultAsync<Needs>() is not { } needs) return Problems.NotFound($"没有编号为 {id} 的事件，或它不在您的辖区内。");
        var byRole = needs.Roles.ToDictionary(role => role, _ => new List<Candidate>());
        foreach (var r in await read.ReadAsync<Row>())
            byRole[r.Wanted].Add(new Candidate(r.StaffId, r.StaffCode, r.Name, r.Kind, r.GridCode, Math.Round(r.Metres), r.FromLastPosition,
                $"最近的可用{StaffKinds.NameOf(r.Kind)}，距离 {Math.Round(r.Metres):N0} 米（{(r.FromLastPosition ? "按最后上报位置" : "按所在网格服务点")}）"));
        return TypedResults.Ok(needs.Roles.Select(role => new RoleRecommendation(role, StaffKinds.NameOf(role),
            byRole[role].FirstOrDefault(), byRole[role].Skip(1).ToList())).ToList());
    }
}
