using System.Net;
using Dispatch.Server.Incidents;

namespace Dispatch.Tests.Incidents;

/// <summary>
/// Two accounts of the responsible centre act on the same version of the same incident at the same
/// moment: the row lock and the version decide, so exactly one step happens and the other is told
/// it came too late.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ConcurrentTransitionTests(PlatformFixture platform)
{
    readonly TestKit _kit = new(platform);

    /// <summary>Pairs of steps both allowed from <c>reported</c>, so only the version can refuse the second.</summary>
    static readonly (string First, string Second)[] Rivals =
        [("accept", "reject"), ("accept", "cancel"), ("reject", "escalate"), ("escalate", "cancel"), ("accept", "accept")];

    [Fact]
    public async Task Of_two_simultaneous_steps_on_one_version_exactly_one_happens_in_200_rounds()
    {
        // The village centre's dispatcher and its supervisor (both may act on its cases), each with their own connection.
        var place = await _kit.FreshPlaceAsync(within: "410611");
        var village = place.GridCode[..12];
        var (dispatcherName, supervisorName) = ($"dispatcher-{village}", $"supervisor-{village}");
        using var dispatcher = await platform.SignInAsync(dispatcherName);
        using var supervisor = await platform.SignInAsync(supervisorName);
        var failures = new List<string>();

        for (var round = 0; round < 200; round++)
        {
            var incident = await _kit.ReportAsync(place, description: $"并发测试第 {round} 轮");
            if (round == 0) Assert.Equal(village, incident.CentreCode);
            var (a, b) = Rivals[round % Rivals.Length];
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var first = Task.Run(async () => { await gate.Task; return await TestKit.PostTransitionAsync(dispatcher, incident.Id, incident.ETag, new { action = a, note = "并发测试" }); });
            var second = Task.Run(async () => { await gate.Task; return await TestKit.PostTransitionAsync(supervisor, incident.Id, incident.ETag, new { action = b, note = "并发测试" }); });
            gate.SetResult();
            var responses = await Task.WhenAll(first, second);

            var codes = responses.Select(r => r.StatusCode).ToArray();
            var winners = codes.Count(c => c == HttpStatusCode.OK);
            if (winners != 1 || codes.Count(c => c == HttpStatusCode.PreconditionFailed) != 1)
            {
                failures.Add($"round {round} ({a} vs {b}): {string.Join(" / ", codes.Select(c => (int)c))}");
                continue;
            }
            var (winnerAction, winnerName) = codes[0] == HttpStatusCode.OK ? (a, dispatcherName) : (b, supervisorName);
            var expected = Lifecycle.Next(IncidentStatus.Reported, Enum.GetValues<IncidentAction>().Single(x => x.Wire() == winnerAction), Team.None)!.Value;

            var stored = await StoredOutcomeAsync(incident.Id);
            if (stored != (expected.Wire(), 2, 1L, winnerAction, winnerName))
                failures.Add($"round {round}: {winnerAction} by {winnerName} won, but the database holds {stored}");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 200 rounds went wrong: {string.Join("; ", failures.Take(10))}");
    }

    /// <summary>Status and version of the incident, and the steps after the report: how many, and the last one's action and actor.</summary>
    async Task<(string Status, int Version, long Steps, string? Action, string? Actor)> StoredOutcomeAsync(long id)
    {
        await using var cmd = platform.Db.CreateCommand("""
            SELECT i.status, i.version,
                   (SELECT count(*) FROM incident_event e WHERE e.incident_id = i.id AND e.action <> 'report'),
                   e.action, e.actor
            FROM incident i
            LEFT JOIN LATERAL (SELECT action, actor FROM incident_event e WHERE e.incident_id = i.id AND e.action <> 'report' ORDER BY e.id DESC LIMIT 1) e ON true
            WHERE i.id = $1
            """);
        cmd.Parameters.Add(new() { Value = id });
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        return (r.GetString(0), r.GetInt32(1), r.GetInt64(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4));
    }
}
