
namespace Dispatch.Server.Duty;

/// <summary>Takes a shift off the roster, inside the caller's area only.</summary>
public static class RemoveShift
{
    static readonly string Sql = $"""
        DELETE FROM duty_shift d USING staff s
        WHERE d.id = @id AND s.id = d.staff_id AND {CurrentUser.CoversSql("@region", "s.grid_code")}
        """;

    public static async Task<IResult> Handle(long id, HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var removed = await conn.ExecuteAsync(new CommandDefinition(Sql, new { id, region = http.Caller().RegionCode }, cancellationToken: ct));
        return removed == 0 ? Problems.NotFound($"没有编号为 {id} 的班次，或它不在您的辖区内。") : TypedResults.NoContent();
    }
}
