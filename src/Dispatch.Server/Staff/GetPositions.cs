namespace Dispatch.Server.Staff;

public sealed record StaffPosition(long StaffId, string Code, string Name, string Kind, string Status, double Lon, double Lat, DateTimeOffset? At);

/// <summary>
/// Where the people of the caller's area are now (their last fix, else their service point): the
/// starting picture that <c>staff.location</c> events then keep current. Not for field accounts.
/// </summary>
public static class GetPositions
{
    static readonly string Sql = $"""
        SELECT id AS staffid, code, name, kind, status, ST_X(position::geometry) AS lon, ST_Y(position::geometry) AS lat, position_at AS at
        FROM staff s WHERE {CurrentUser.CoversSql("@region", "s.grid_code")}
        ORDER BY id
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        var caller = http.Caller();
        if (caller.Is(Roles.Field)) return Problems.Forbidden("外勤账号不能查看其他人员的位置。");
        await using var conn = await db.OpenConnectionAsync(ct);
        var people = await conn.QueryAsync<StaffPosition>(new CommandDefinition(Sql, new { region = caller.RegionCode }, cancellationToken: ct));
        return TypedResults.Ok(people.Select(p => p with { At = Clock.Local(p.At) }).ToList());
    }
}
