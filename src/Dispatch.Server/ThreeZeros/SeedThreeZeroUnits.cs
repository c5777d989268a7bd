namespace Dispatch.Server.ThreeZeros;

/// <summary>
/// The demo city's registered 三零 units: a handful of enterprises, schools, hospitals and markets
/// in real villages and communities of Hebi, each a little off its village's first service point
/// (the demo polygons are generated, so no real address would fall inside them). Runs after the
/// geography is seeded; a village missing from the tree is skipped rather than invented.
/// </summary>
public static class SeedThreeZeroUnits
{
    const string Sql = """
        INSERT INTO three_zero_unit (code, name, kind, village_code, location, registered_at)
        SELECT u.code, u.name, u.kind, u.village, ST_Translate(g.service_point, 0.0006, 0.0004), u.registered::date
        FROM (VALUES
            ('HB-E-001', '鹤壁市淇滨经济开发区仕佳光子产业园', 'enterprise', '410611002001', '2025-03-01'),
            ('HB-E-002', '鹤壁天海电子信息系统有限公司',       'enterprise', '410611001202', '2025-03-01'),
            ('HB-E-003', '浚县善堂镇农副产品加工园',           'enterprise', '410621101201', '2025-06-15'),
            ('HB-S-001', '鹤壁市高级中学',                     'school',     '410611002002', '2025-03-01'),
            ('HB-S-002', '淇县第一中学',                       'school',     '410622001001', '2025-09-01'),
            ('HB-H-001', '鹤壁市人民医院',                     'hospital',   '410603001001', '2025-03-01'),
            ('HB-H-002', '浚县人民医院',                       'hospital',   '410621001001', '2025-06-15'),
            ('HB-M-001', '鹤山区鹤壁集农贸市场',               'market',     '410602100001', '2025-06-15'),
            ('HB-U-001', '鹤壁市不动产登记中心',               'unit',       '410611100203', '2025-09-01')
        ) AS u(code, name, kind, village, registered)
        JOIN LATERAL (SELECT service_point FROM grid WHERE village_code = u.village ORDER BY code LIMIT 1) g ON true
        ON CONFLICT (code) DO NOTHING
        """;

    public static async Task SeedIfEmptyAsync(NpgsqlDataSource db, ILogger log, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        if (await conn.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM three_zero_unit)", cancellationToken: ct))) return;
        var seeded = await conn.ExecuteAsync(new CommandDefinition(Sql, cancellationToken: ct));
        log.LogInformation("Seeded {Units} demonstration 三零 units", seeded);
    }
}
