using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Dispatch.Tests;

/// <summary>
/// Concurrent writers filing incidents, as a busy hotline does. Each report carries an
/// Idempotency-Key and is retried until answered, so a server that is away for a moment loses
/// none and duplicates none.
/// </summary>
public static class Writers
{
    /// <summary>Every <paramref name="count"/> reports spread over <paramref name="places"/>, <paramref name="writers"/> at a time; returns (incident id, grid).</summary>
    public static Task<List<(long Id, string Grid)>> FileAsync(HttpClient http, IReadOnlyList<Place> places, int count, int writers, int seed = 1,
        TimeSpan? pause = null) =>
        FileAsync(http, Plan(places, count, seed), writers, pause);

    /// <summary><paramref name="count"/> places drawn from <paramref name="places"/>, the same for the same seed.</summary>
    public static List<Place> Plan(IReadOnlyList<Place> places, int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => places[rng.Next(places.Count)]).ToList();
    }

    /// <summary>One report at each place of <paramref name="plan"/>, <paramref name="writers"/> at a time.</summary>
    public static async Task<List<(long Id, string Grid)>> FileAsync(HttpClient http, IReadOnlyList<Place> plan, int writers, TimeSpan? pause = null)
    {
        var work = plan.Select((place, i) => (i, place, key: Guid.NewGuid().ToString("N"))).ToList();
        var filed = new List<(long, string)>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async _ =>
        {
            for (int n; (n = Interlocked.Increment(ref next)) < work.Count;)
            {
                var (i, place, key) = work[n];
                var id = await FileOneAsync(http, place, key, $"测试事件 {i}");
                lock (filed) filed.Add((id, place.GridCode));
                if (pause is { } p) await Task.Delay(p);
            }
        }));
        return filed;
    }

    static async Task<long> FileOneAsync(HttpClient http, Place place, string key, string description)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/incidents")
                {
                    Content = JsonContent.Create(TestKit.Report(place, "dispute.neighbour", description)),
                };
                request.Headers.Add("Idempotency-Key", key);
                using var response = await http.SendAsync(request);
                if (response.StatusCode is HttpStatusCode.Created)
                    return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
                if ((int)response.StatusCode < 500 || attempt > 600)
                    throw new InvalidOperationException($"report refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            catch (HttpRequestException) when (attempt < 600) { } // the server is away: try again
            catch (TaskCanceledException) when (attempt < 600) { }
            await Task.Delay(100);
        }
    }

    /// <summary>The ids of incidents whose creation <paramref name="events"/> announce, in the order received.</summary>
    public static List<long> CreatedIds(IEnumerable<Dispatch.Server.Live.LiveEvent> events) =>
        events.Where(e => e.Type == "incident.created").Select(e => e.Data.GetProperty("id").GetInt64()).ToList();

    /// <summary>Whether a user of <paramref name="region"/> sees a grid: the city all, else codes nest by prefix.</summary>
    public static bool Covers(string region, string grid) => region == "410600" || grid.StartsWith(region, StringComparison.Ordinal);
}
