using Dispatch.Server.Common;
using Dispatch.Server.Identity;
using Npgsql;

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
        await using var cmd = db.CreateCommand("""
            SELECT code, name, name_en, parent_code, priority, accept_minutes, arrive_minutes, resolve_minutes, working_hours, roles
            FROM category ORDER BY coalesce(parent_code, code), parent_code NULLS FIRST, code
            """);
        var list = new List<CategoryView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new CategoryView(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetInt16(4),
                new Sla(r.GetInt32(5), r.GetInt32(6), r.GetInt32(7), r.GetBoolean(8)), r.GetFieldValue<string[]>(9)));
        return TypedResults.Ok(list);
    }

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

        await using var cmd = db.CreateCommand("""
            UPDATE category SET name = coalesce($2, name), priority = coalesce($3, priority),
                   accept_minutes = coalesce($4, accept_minutes), arrive_minutes = coalesce($5, arrive_minutes),
                   resolve_minutes = coalesce($6, resolve_minutes), working_hours = coalesce($7, working_hours), roles = coalesce($8, roles)
            WHERE code = $1
            """);
        foreach (var v in new object?[] { code, body.Name, (short?)body.Priority, body.Sla?.AcceptMinutes, body.Sla?.ArriveMinutes,
                     body.Sla?.ResolveMinutes, body.Sla?.WorkingHours, body.Roles })
            cmd.Parameters.Add(new NpgsqlParameter { Value = v ?? DBNull.Value });
        cmd.Parameters[1].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        cmd.Parameters[2].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Smallint;
        for (var i = 3; i <= 5; i++) cmd.Parameters[i].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer;
        cmd.Parameters[6].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Boolean;
        cmd.Parameters[7].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text;
        return await cmd.ExecuteNonQueryAsync(ct) == 0 ? Problems.NotFound($"没有编码为 {code} 的类别。") : TypedResults.NoContent();
    }
}
