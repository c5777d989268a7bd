using System.Reflection;
using Dispatch.Geography;
using NpgsqlTypes;

namespace Dispatch.Server.Regions;

/// <summary>
/// Fills an empty region tree with Hebi's real divisions and the generated demonstration
/// polygons and grids, in one transaction: a failure leaves the tables empty, never half-filled.
/// </summary>
public static class SeedGeography
{
    public static async Task<bool> SeedIfEmptyAsync(NpgsqlDataSource db, ILogger log, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using (var count = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM region)", conn))
            if ((bool)(await count.ExecuteScalarAsync(ct))!) return false;

        log.LogInformation("Generating Hebi's demonstration geography (1,041 villages, 4,122 grids)…");
        var started = TimeProvider.System.GetTimestamp();
        var (divisions, sketch) = ReadEmbeddedData();
        var geography = GeographyGenerator.Generate(divisions, sketch);
        log.LogInformation("Generated in {Seconds:F1} s; writing to the database", TimeProvider.System.GetElapsedTime(started).TotalSeconds);

        await using var tx = await conn.BeginTransactionAsync(ct);
        var shapes = geography.Regions.ToDictionary(r => r.Code, r => r.Shape);
        await using (var copy = await conn.BeginBinaryImportAsync(
                         "COPY region (code, name, level, parent_code, geom) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var d in divisions) // parents come first in the file, as the foreign key wants
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(d.Code, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(d.Name, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(d.Level.ToString().ToLowerInvariant(), NpgsqlDbType.Text, ct);
                if (d.ParentCode is null) await copy.WriteNullAsync(ct);
                else await copy.WriteAsync(d.ParentCode, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(shapes[d.Code], NpgsqlDbType.Geometry, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await using (var copy = await conn.BeginBinaryImportAsync(
                         "COPY grid (code, name, village_code, geom, service_point) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var g in geography.Grids)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(g.Code, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(g.Name, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(g.VillageCode, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(g.Shape, NpgsqlDbType.Geometry, ct);
                await copy.WriteAsync(g.ServicePoint, NpgsqlDbType.Geometry, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await tx.CommitAsync(ct);
        log.LogInformation("Seeded {Regions} regions and {Grids} grids", divisions.Count, geography.Grids.Count);
        return true;
    }

    public static (IReadOnlyList<Division>, GeographySketch) ReadEmbeddedData()
    {
        var assembly = Assembly.GetExecutingAssembly();
        using var csv = new StreamReader(assembly.GetManifestResourceStream("data/divisions.csv")!);
        using var json = assembly.GetManifestResourceStream("data/geography.json")!;
        return (Divisions.Read(csv), GeographySketch.Read(json));
    }
}
