using System.Net.Http.Json;
using Dispatch.Server.Incidents;
using Npgsql;

namespace Dispatch.Tests;

public sealed partial class TestKit
{
    /// <summary>What the incident's responsible centre is offered: staff of its own area.</summary>
    public async Task<IReadOnlyList<RoleRecommendation>> RecommendationsAsync(long id)
    {
        var centre = CentreDispatcher(await GetAsync(id));
        return (await (await ClientAsync(centre)).GetFromJsonAsync<List<RoleRecommendation>>($"/api/incidents/{id}/recommendations", Web))!;
    }

    /// <summary>The nearest available person of each role the category needs.</summary>
    public async Task<long[]> RecommendedTeamAsync(long id) =>
        (await RecommendationsAsync(id)).Select(r => r.Recommended?.StaffId ?? throw new InvalidOperationException($"Nobody available as {r.Role}.")).ToArray();

    public static Task<long> StaffIdAsync(NpgsqlDataSource db, string code) =>
        ScalarAsync<long>(db, "SELECT id FROM staff WHERE code = $1", code);

    /// <summary>A grid worker's code whose account nobody else's test is likely to use: from the end of the list.</summary>
    public static Task<string> QuietGridWorkerAsync(NpgsqlDataSource db, int nth) =>
        ScalarAsync<string>(db, "SELECT code FROM staff WHERE kind = 'grid_worker' AND status = 'available' ORDER BY code DESC OFFSET $1 LIMIT 1", nth);

    /// <summary>The incidents ever assigned to a staff member (any outcome of the assignment).</summary>
    public static async Task<HashSet<long>> AssignedToAsync(NpgsqlDataSource db, string staffCode)
    {
        await using var cmd = db.CreateCommand("SELECT a.incident_id FROM assignment a JOIN staff s ON s.id = a.staff_id WHERE s.code = $1");
        cmd.Parameters.Add(new() { Value = staffCode });
        var ids = new HashSet<long>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) ids.Add(r.GetInt64(0));
        return ids;
    }
}
