using Microsoft.AspNetCore.Identity;

namespace Dispatch.Server.Identity;

/// <summary>
/// The demo accounts of docs/api.md: the named ones, a dispatcher and a supervisor for the centre of
/// every district, township and village (<c>dispatcher-&lt;code&gt;</c>, <c>supervisor-&lt;code&gt;</c>), and one
/// field account per staff member (username = staff code). All share the demo password, so its
/// (salted, PBKDF2) hash is computed once rather than 9,000 times. Centres' accounts are also added
/// to a demo database seeded before the village centres existed.
/// </summary>
public static class SeedDemoAccounts
{
    public const string DefaultPassword = "Dispatch#2026";

    static readonly (string Username, string DisplayName, string Roles, string Region)[] Named =
    [
        ("admin", "系统管理员", "{admin}", "410600"),
        ("city.dispatcher", "市综治中心调度员", "{dispatcher}", "410600"),
        ("qibin.dispatcher", "淇滨区综治中心调度员", "{dispatcher}", "410611"),
        ("xun.dispatcher", "浚县综治中心调度员", "{dispatcher}", "410621"),
        ("supervisor", "市综治中心督导", "{supervisor}", "410600"),
        ("wall", "市综治中心大屏", "{wall}", "410600"),
        ("auditor", "审计员", "{auditor}", "410600"),
    ];

    const string LevelAccounts = """
        INSERT INTO app_user (username, display_name, password_hash, roles, region_code)
        SELECT role || '-' || code, name || '综治中心' || CASE role WHEN 'dispatcher' THEN '调度员' ELSE '督导' END, $1, ARRAY[role], code
        FROM region, unnest('{dispatcher,supervisor}'::text[]) AS role
        WHERE level IN ('district', 'township', 'village')
        ON CONFLICT (username) DO NOTHING
        """;

    // 多部门联动: one account per department, scoped to the cases handed to it.
    const string DepartmentAccounts = """
        INSERT INTO app_user (username, display_name, password_hash, roles, region_code)
        SELECT 'dept-' || code, name, $1, '{department}', 'dept-' || code FROM department
        ON CONFLICT (username) DO NOTHING
        """;

    const string FieldAccounts = """
        INSERT INTO app_user (username, display_name, password_hash, roles, region_code, staff_id)
        SELECT s.code, s.name, $1, '{field}', CASE s.kind WHEN 'grid_worker' THEN s.grid_code ELSE left(s.grid_code, 12) END, s.id
        FROM staff s
        """;

    public static async Task SeedIfEmptyAsync(NpgsqlDataSource db, IConfiguration config, ILogger log, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var hash = new PasswordHasher<object>().HashPassword(new object(), config["Demo:Password"] ?? DefaultPassword);
        await using (var any = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM app_user WHERE username = 'admin')", conn))
            if ((bool)(await any.ExecuteScalarAsync(ct))!)
            {
                foreach (var sql in new[] { LevelAccounts, DepartmentAccounts })
                {
                    await using var more = new NpgsqlCommand(sql, conn) { Parameters = { new() { Value = hash } } };
                    if (await more.ExecuteNonQueryAsync(ct) is > 0 and var added) log.LogInformation("Added {Count} centre and department accounts", added);
                }
                return;
            }

        await using var tx = await conn.BeginTransactionAsync(ct);
        foreach (var (username, displayName, roles, region) in Named)
            await using (var named = new NpgsqlCommand(
                             "INSERT INTO app_user (username, display_name, password_hash, roles, region_code) VALUES ($1, $2, $3, $4::text[], $5)", conn, tx)
                         { Parameters = { new() { Value = username }, new() { Value = displayName }, new() { Value = hash }, new() { Value = roles }, new() { Value = region } } })
                await named.ExecuteNonQueryAsync(ct);
        foreach (var sql in new[] { LevelAccounts, DepartmentAccounts, FieldAccounts })
            await using (var many = new NpgsqlCommand(sql, conn, tx) { Parameters = { new() { Value = hash } } })
                await many.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        log.LogInformation("Seeded the demo accounts");
    }
}
