namespace Dispatch.Server.Categories;

public sealed record Sla(int AcceptMinutes, int ArriveMinutes, int ResolveMinutes, bool WorkingHours);

/// <summary>The clocks of a category's case at another priority than its default (natural or working time as the category's).</summary>
public sealed record PrioritySla(int Priority, int AcceptMinutes, int ArriveMinutes, int ResolveMinutes);

/// <param name="StartLevel">The level of centre its cases start at: village, township, district or city.</param>
public sealed record CategoryView(string Code, string Name, string NameEn, string? ParentCode, int Priority, Sla Sla,
    IReadOnlyList<PrioritySla> PrioritySlas, string StartLevel, IReadOnlyList<string> Roles);

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
        await using var read = await conn.QueryMultipleAsync(new CommandDefinition("""
            SELECT code, name, name_en, parent_code, priority, accept_minutes, arrive_minutes, resolve_minutes, working_hours, start_level, roles
            FROM category ORDER BY coalesce(parent_code, code), parent_code NULLS FIRST, code;
            SELECT category_code, priority, accept_minutes, arrive_minutes, resolve_minutes FROM category_priority_sla ORDER BY category_code, priority;
            """, cancellationToken: ct));
        var rows = await read.ReadAsync<CategoryRow>();
        var byPriority = (await read.ReadAsync<PriorityRow>()).ToLookup(p => p.CategoryCode,
            p => new PrioritySla(p.Priority, p.AcceptMinutes, p.ArriveMinutes, p.ResolveMinutes));
        return TypedResults.Ok(rows.Select(r => new CategoryView(r.Code, r.Name, r.NameEn, r.ParentCode, r.Priority,
            new Sla(r.AcceptMinutes, r.ArriveMinutes, r.ResolveMinutes, r.WorkingHours), [.. byPriority[r.Code]], r.StartLevel, r.Roles)).ToList());
    }

    sealed record CategoryRow(string Code, string Name, string NameEn, string? ParentCode, short Priority, int AcceptMinutes, int ArriveMinutes,
        int ResolveMinutes, bool WorkingHours, string StartLevel, string[] Roles);

    sealed record PriorityRow(string CategoryCode, short Priority, int AcceptMinutes, int ArriveMinutes, int ResolveMinutes);

    /// <param name="PrioritySlas">When given, replaces the clocks at other priorities (none at the default priority: that is <paramref name="Sla"/>).</param>
    public sealed record UpdateCategory(string? Name, int? Priority, Sla? Sla, PrioritySla[]? PrioritySlas, string? StartLevel, string[]? Roles);

    static readonly string[] Levels = ["village", "township", "district", "city"];

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
        if (body.StartLevel is { } level && !Levels.Contains(level)) errors["startLevel"] = ["起始层级应为 village、township、district 或 city。"];
        if (body.PrioritySlas is { } bands)
        {
            if (bands.Length > 3 || bands.Any(b => b is null) || bands.DistinctBy(b => b?.Priority).Count() != bands.Length)
                errors["prioritySlas"] = ["每个优先级至多一条，最多 3 条（默认优先级之外的 1 到 4 级）。"];
            else if (bands.Any(b => b.Priority is < 1 or > 4)) errors["prioritySlas"] = ["优先级应为 1 到 4。"];
            else if (bands.Any(b => new[] { b.AcceptMinutes, b.ArriveMinutes, b.ResolveMinutes }.Any(m => m is <= 0 or > MaxSlaMinutes)))
                errors["prioritySlas"] = [$"时限应为 1 到 {MaxSlaMinutes} 分钟（一年）。"];
        }
        if (errors.Count > 0) return Problems.Invalid(errors);

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var current = await conn.ExecuteScalarAsync<short?>(new CommandDefinition("SELECT priority FROM category WHERE code = @code FOR UPDATE",
            new { code }, tx, cancellationToken: ct));
        if (current is null) return Problems.NotFound($"没有编码为 {code} 的类别。");
        var defaultPriority = (short?)body.Priority ?? current.Value;
        // A band at the default priority would silently overrule the category's own clocks.
        if ((body.PrioritySlas?.Any(b => b.Priority == defaultPriority) ?? false) ||
            (body.PrioritySlas is null && body.Priority is not null && await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM category_priority_sla WHERE category_code = @code AND priority = @defaultPriority)",
                new { code, defaultPriority }, tx, cancellationToken: ct))))
            return Problems.Invalid("prioritySlas", $"默认优先级 {defaultPriority} 的时限由 sla 给出，prioritySlas 中不能再有它。");
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE category SET name = coalesce(@name::text, name), priority = coalesce(@priority::smallint, priority),
                   accept_minutes = coalesce(@accept::int, accept_minutes), arrive_minutes = coalesce(@arrive::int, arrive_minutes),
                   resolve_minutes = coalesce(@resolve::int, resolve_minutes), working_hours = coalesce(@workingHours::boolean, working_hours),
                   roles = coalesce(@roles::text[], roles), start_level = coalesce(@startLevel::text, start_level)
            WHERE code = @code
            """, new
        {
            code, name = body.Name, priority = (short?)body.Priority, accept = body.Sla?.AcceptMinutes, arrive = body.Sla?.ArriveMinutes,
            resolve = body.Sla?.ResolveMinutes, workingHours = body.Sla?.WorkingHours, roles = body.Roles, startLevel = body.StartLevel,
        }, tx, cancellationToken: ct));
        if (body.PrioritySlas is { } replaced)
        {
            await conn.ExecuteAsync(new CommandDefinition("DELETE FROM category_priority_sla WHERE category_code = @code", new { code }, tx, cancellationToken: ct));
            await conn.ExecuteAsync(new CommandDefinition("""
                INSERT INTO category_priority_sla (category_code, priority, accept_minutes, arrive_minutes, resolve_minutes)
                SELECT @code, b.priority, b.accept, b.arrive, b.resolve
                FROM unnest(@priorities::smallint[], @accepts::int[], @arrives::int[], @resolves::int[]) b (priority, accept, arrive, resolve)
                """, new
            {
                code, priorities = replaced.Select(b => (short)b.Priority).ToArray(), accepts = replaced.Select(b => b.AcceptMinutes).ToArray(),
                arrives = replaced.Select(b => b.ArriveMinutes).ToArray(), resolves = replaced.Select(b => b.ResolveMinutes).ToArray(),
            }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        // Cases already open keep the deadlines they were given; the new clocks apply from each case's next stage.
        return TypedResults.NoContent();
    }
}
