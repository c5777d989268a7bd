namespace Dispatch.Server.Categories;

public sealed record Sla(int AcceptMinutes, int ArriveMinutes, int ResolveMinutes, bool WorkingHours);
public sealed record CategoryView(string Code, string Name, string NameEn, string? ParentCode, int Priority, Sla Sla, IReadOnlyList<string> Roles);

/// <summary>Incident categories with their default priority, SLA clocks and the roles they need; admins edit them.</summary>
public static class CategoriesApi
{
    /// <summary>A year: no clock runs longer, and a longer one would only be a typing mistake (and an overflow).</summary>
    public const int MaxSlaMinutes = 525_600;

    public static IEndpointRouteBuilder MapCategories(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/categories").WithTags("Categories");
        api.MapGet("/", List).Produces<List<CategoryView>>();
        api.MapPut("/{code}", Update).RequireAuthorization(p => p.RequireRole(Roles.Admin)).Produces(204);
        return app;
    }

    static async Task<IResult> List(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<CategoryRow>(new CommandDefinition("""
            SELECT code, name, name_en, parent_code, priority, accept_minutes, arrive_minutes, resolve_minutes, working_hours, roles
            FROM category ORDER BY coalesce(parent_code, code), parent_code NULLS FIRST, code
            """, cancellationToken: ct));
        return TypedResults.Ok(rows.Select(r => new CategoryView(r.Code, r.Name, r.NameEn, r.ParentCode, r.Priority,
            new Sla(r.AcceptMinutes, r.ArriveMinutes, r.ResolveMinutes, r.WorkingHours), r.Roles)).ToList());
    }

    sealed record CategoryRow(string Code, string Name, string NameEn, string? ParentCode, short Priority, int AcceptMinutes, int ArriveMinutes,
        int ResolveMinutes, bool WorkingHours, string[] Roles);

    public sealed record UpdateCategory(string? Name, int? Priority, Sla? Sla, string[]? Roles);

    static async Task<IResult> Update(string code, UpdateCategory body, NpgsqlDataSource db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.Priority is < 1 or > 4) errors["priority"] = ["优先级应为 1 到 4。"];
        if (body.Sla is { } sla && new[] { sla.AcceptMinutes, sla.ArriveMinutes, sla.ResolveMinutes }.Any(m => m is <= 0 or > MaxSlaMinutes))
            errors["sla"] = [$"时限应为 1 到 {MaxSlaMinutes} 分钟（一年）。"];
        if (body.Roles is { } roles && (roles.Length == 0 || roles.Except(Staff.StaffKinds.All).Any()))
            errors["roles"] = [$"角色应为 {string.Join("、", Staff.StaffKinds.All)} 中的一个或多个。"];
        if (body.Name is { } name && string.IsNullOrWhiteSpace(name)) errors["name"] = ["名称不能为空。"];
        else if (body.Name is { Length: > 50 }) errors["name"] = ["名称不能超过 50 字。"];
        if (body.Roles is { Length: > 4 }) errors["roles"] = ["角色最多 4 个。"];
        if (errors.Count > 0) return Problems.Invalid(errors);

        await using var conn = await db.OpenConnectionAsync(ct);
        var updated = await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE category SET name = coalesce(@name::text, name), priority = coalesce(@priority::smallint, priority),
                   accept_minutes = coalesce(@accept::int, accept_minutes), arrive_minutes = coalesce(@arrive::int, arrive_minutes),
                   resolve_minutes = coalesce(@resolve::int, resolve_minutes), working_hours = coalesce(@workingHours::boolean, working_hours),
                   roles = coalesce(@roles::text[], roles)
            WHERE code = @code
            """, new
        {
            code, name = body.Name, priority = (short?)body.Priority, accept = body.Sla?.AcceptMinutes, arrive = body.Sla?.ArriveMinutes,
            resolve = body.Sla?.ResolveMinutes, workingHours = body.Sla?.WorkingHours, roles = body.Roles,
        }, cancellationToken: ct));
        return updated == 0 ? Problems.NotFound($"没有编码为 {code} 的类别。") : TypedResults.NoContent();
    }
}
