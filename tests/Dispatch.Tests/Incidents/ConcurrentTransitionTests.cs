using System.Net;
using Dispatch.Server.Incidents;

namespace Dispatch.Tests.Incidents;

/// <summary>
/// Two dispatchers act on the same version of the same incident at the same moment: the row lock
/// and the version decide, so exactly one step happens and the other is told it came too late.
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
        // Two dispatchers of different levels who both cover 淇滨区, each with their own connection.
        var place = await _kit.FreshPlaceAsync(within: "410611");
        using var city = await platform.SignInAsync(TestKit.Dispatcher);
        using var district = await platform.SignInAsync("qibin.dispatcher");
        var failures = new List<string>();

        for (var round = 0; round < 200; round++)
        {
            var incident = await _kit.ReportAsync(place, description: $"并发测试第 {round} 轮");
            var (a, b) = Rivals[round % Rivals.Length];
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var first = Task.Run(async () => { await gate.Task; return await TestKit.PostTransitionAsync(city, incident.Id, incident.ETag, new { action = a }); });
            var second = Task.Run(async () => { await gate.Task; return await TestKit.PostTransitionAsync(district, incident.Id, incident.ETag, new { action = b }); });
            gate.SetResult();
            var responses = await Task.WhenAll(first, second);

            var codes = responses.Select(r => r.StatusCode).ToArray();
            var winners = codes.Count(c => c == HttpStatusCode.OK);
            if (winners != 1 || codes.Count(c => c == HttpStatusCode.PreconditionFailed) != 1)
            {
                failures.Add($"round {round} ({a} vs {b}): {string.Join(" / ", codes.Select(c => (int)c))}");
                continue;
            }
            var (winnerAction, winnerName) = codes[0] == HttpStatusCode.OK ? (a, TestKit.Dispatcher) : (b, "qibin.dispatcher");
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
