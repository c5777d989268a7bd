namespace Dispatch.Server.Staff;

/// <summary>
/// The demo city's people: a grid worker for each of the 4,122 grids and, for each of the 1,041
/// villages, a police officer, a legal adviser and a mediation team (一村一警一法律顾问一矛调队伍),
/// each at home on their grid's service point. Names are drawn deterministically from the code.
/// </summary>
public static class SeedStaff
{
    const string Sql = """
        WITH names AS (
            SELECT '{王,李,张,刘,陈,杨,赵,黄,周,吴,徐,孙,胡,朱,高,林,何,郭,马,罗,梁,宋,郑,谢,韩,唐,冯,于,董,萧}'::text[] AS family,
                   '{伟,芳,娜,敏,静,丽,强,磊,军,洋,勇,艳,杰,娟,涛,明,超,秀英,霞,平,刚,桂英,建国,志强,红梅,海燕,春生,国庆,玉兰,建华}'::text[] AS given),
        village_home AS (
            SELECT DISTINCT ON (g.village_code) g.village_code, g.code, g.service_point,
                   regexp_replace(v.name, '(社区居民委员会|居民委员会|村民委员会|村委会)$', '') AS short_name
            FROM grid g JOIN region v ON v.code = g.village_code
            ORDER BY g.village_code, g.code),
        people AS (
            SELECT 'gw-' || g.code AS code, 'grid_worker' AS kind, g.code AS grid_code, g.service_point AS home FROM grid g
            UNION ALL SELECT 'police-' || village_code, 'police', code, service_point FROM village_home
            UNION ALL SELECT 'legal-' || village_code, 'legal_adviser', code, service_point FROM village_home
            UNION ALL SELECT 'mediator-' || village_code, 'mediator', code, service_point FROM village_home)
        INSERT INTO staff (code, name, kind, grid_code, home, position)
        SELECT p.code,
               CASE WHEN p.kind = 'mediator' THEN vh.short_name || '矛调队伍'
                    ELSE n.family[1 + abs(hashtext(p.code)) % cardinality(n.family)]
                      || n.given[1 + abs(hashtext(reverse(p.code))) % cardinality(n.given)] END,
               p.kind, p.grid_code, p.home, p.home::geography
        FROM people p CROSS JOIN names n
        LEFT JOIN village_home vh ON p.kind = 'mediator' AND vh.code = p.grid_code
        ORDER BY p.code
        """;

    public static async Task SeedIfEmptyAsync(NpgsqlDataSource db, ILogger log, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using (var any = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM staff)", conn))
            if ((bool)(await any.ExecuteScalarAsync(ct))!) return;
        await using var seed = new NpgsqlCommand(Sql, conn);
        var count = await seed.ExecuteNonQueryAsync(ct);
        log.LogInformation("Seeded {Count} demo staff", count);
    }
}
