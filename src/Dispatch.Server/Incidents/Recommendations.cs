using Dispatch.Server.Common;
using Dispatch.Server.Identity;
using Dispatch.Server.Staff;
using Npgsql;

namespace Dispatch.Server.Incidents;

public sealed record Candidate(long StaffId, string StaffCode, string Name, string Kind, string GridCode, double DistanceMetres,
    bool FromLastPosition, string Reason);
public sealed record RoleRecommendation(string Role, string RoleName, Candidate? Recommended, IReadOnlyList<Candidate> Alternatives);

/// <summary>
/// For each role the incident's category needs, the nearest available people inside the caller's
/// area (a district's centre sends its own staff; the city's may send anyone): by their last
/// reported position, else their grid's service point; busy and off-duty people are never offered.
/// PostGIS orders by geodesic distance with the GiST index (KNN, <c>&lt;-&gt;</c> on geography).
/// </summary>
public static class Recommendations
{
    public const int PerRole = 3;

    static readonly string RolesSql =
        $"SELECT c.roles FROM incident i JOIN category c ON c.code = i.category_code WHERE i.id = $1 AND {CurrentUser.CoversSql("$2", "i.grid_code")}";

    static readonly string Sql = $"""
        SELECT r.role, s.id, s.code, s.name, s.kind, s.grid_code, ST_Distance(s.position, i.location::geography), s.position_at IS NOT NULL
        FROM incident i JOIN category c ON c.code = i.category_code
        CROSS JOIN LATERAL unnest(c.roles) WITH ORDINALITY AS r(role, n)
        CROSS JOIN LATERAL (
            SELECT * FROM staff s WHERE s.kind = r.role AND s.status = 'available' AND {CurrentUser.CoversSql("$2", "s.grid_code")}
            ORDER BY s.position <-> i.location::geography LIMIT {PerRole}) s
        WHERE i.id = $1 AND {CurrentUser.CoversSql("$2", "i.grid_code")}
        ORDER BY r.n, ST_Distance(s.position, i.location::geography)
        """;

    public static async Task<IResult> Handle(long id, HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        var caller = http.Caller();
        // One round trip: the roles the category needs (none: not visible), then the candidates.
        await using var batch = db.CreateBatch();
        foreach (var sql in new[] { RolesSql, Sql })
            batch.BatchCommands.Add(new NpgsqlBatchCommand(sql) { Parameters = { new() { Value = id }, new() { Value = caller.RegionCode } } });
        await using var r = await batch.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return Problems.NotFound($"没有编号为 {id} 的事件，或它不在您的辖区内。");
        var roles = r.GetFieldValue<string[]>(0);
        await r.NextResultAsync(ct);
        var byRole = roles.ToDictionary(role => role, _ => new List<Candidate>());
        while (await r.ReadAsync(ct))
        {
            var (metres, fromLast) = (r.GetDouble(6), r.GetBoolean(7));
            var role = StaffKinds.NameOf(r.GetString(4));
            byRole[r.GetString(0)].Add(new Candidate(r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                Math.Round(metres), fromLast,
                $"最近的可用{role}，距离 {Math.Round(metres):N0} 米（{(fromLast ? "按最后上报位置" : "按所在网格服务点")}）"));
        }
        return TypedResults.Ok(roles.Select(role => new RoleRecommendation(role, StaffKinds.NameOf(role),
            byRole[role].FirstOrDefault(), byRole[role].Skip(1).ToList())).ToList());
    }
}
