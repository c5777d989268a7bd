using Dispatch.Server.Common;
using Dispatch.Server.Identity;
using Npgsql;

namespace Dispatch.Server.Staff;

public sealed record StaffPosition(long StaffId, string Code, string Name, string Kind, string Status, double Lon, double Lat, DateTimeOffset? At);

/// <summary>
/// Where the people of the caller's area are now (their last fix, else their service point): the
/// starting picture that <c>staff.location</c> events then keep current. Not for field accounts.
/// </summary>
public static class GetPositions
{
    static readonly string Sql = $"""
        SELECT id, code, name, kind, status, ST_X(position::geometry), ST_Y(position::geometry), position_at
        FROM staff s WHERE {CurrentUser.CoversSql("$1", "s.grid_code")}
        ORDER BY id
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        var caller = http.Caller();
        if (caller.Is(Roles.Field)) return Problems.Forbidden("外勤账号不能查看其他人员的位置。");
        await using var cmd = db.CreateCommand(Sql);
        cmd.Parameters.Add(new() { Value = caller.RegionCode });
        var people = new List<StaffPosition>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            people.Add(new StaffPosition(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                r.GetDouble(5), r.GetDouble(6), r.IsDBNull(7) ? null : Clock.Local(r.GetFieldValue<DateTimeOffset>(7))));
        return TypedResults.Ok(people);
    }
}
