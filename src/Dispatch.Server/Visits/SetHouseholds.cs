namespace Dispatch.Server.Visits;

public sealed record GridHouseholds(int? Households);

public sealed record GridHouseholdsView(string GridCode, string Name, int Households, string? SetBy, DateTimeOffset? SetAt);

/// <summary>
/// 登记户数: an administrator sets a grid's registered household count, the base of its coverage.
/// Inside their area only; the audit trail records the write (who, which grid, the outcome), and the
/// grid keeps who set the figure last and when.
/// </summary>
public static class SetHouseholds
{
    const string Update = """
        UPDATE grid SET households = @households, households_set_by = @by, households_set_at = now() WHERE code = @code
        RETURNING code AS grid_code, name, households, households_set_by AS set_by, households_set_at AS set_at
        """;

    public static async Task<IResult> Handle(string code, HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        var caller = http.Caller();
        if (!caller.Is(Roles.Admin)) return Problems.Forbidden("登记户数由管理员维护。");
        var (body, malformed) = await JsonBody.ReadAsync<GridHouseholds>(http, ct);
        if (malformed is not null) return malformed;
        if (body!.Households is not (>= 0 and <= 100_000)) return Problems.Invalid("households", "households 应为 0 到 100000 之间的整数。");
        if (!System.Text.RegularExpressions.Regex.IsMatch(code, "^[0-9]{15}$") || !caller.Covers(code))
            return Problems.NotFound($"没有网格 {code}，或它不在您的辖区内。");

        await using var conn = await db.OpenConnectionAsync(ct);
        var view = await conn.QuerySingleOrDefaultAsync<GridHouseholdsView>(new CommandDefinition(Update,
            new { code, households = body.Households, by = caller.Username }, cancellationToken: ct));
        return view is null ? Problems.NotFound($"没有网格 {code}，或它不在您的辖区内。") : TypedResults.Ok(view with { SetAt = Clock.Local(view.SetAt) });
    }
}
