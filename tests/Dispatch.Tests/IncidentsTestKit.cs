using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Incidents;

namespace Dispatch.Tests;

/// <summary>A grid's service point: where a test reports, so that the grid's own worker is the nearest.</summary>
public sealed record Place(string GridCode, double Lon, double Lat);

/// <summary>
/// What the incident tests share: reporting, taking a lifecycle step as the person who would take
/// it, building an incident in any status through the API, places no earlier test has used, and
/// one signed-in client per account (signing in costs a PBKDF2 hash, so each account signs in once
/// per run).
/// </summary>
public sealed class IncidentsTestKit(PlatformFixture platform)
{
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    public const string Dispatcher = "city.dispatcher";

    static readonly ConcurrentDictionary<string, Lazy<Task<HttpClient>>> Clients = new();
    static readonly HashSet<string> HandedOut = [];
    static readonly SemaphoreSlim Handing = new(1, 1);

    /// <summary>How each status is reached from the one before it, by the action of the lifecycle.</summary>
    static readonly Dictionary<IncidentStatus, (IncidentStatus From, string Action)> Route = new()
    {
        [IncidentStatus.Accepted] = (IncidentStatus.Reported, "accept"),
        [IncidentStatus.Rejected] = (IncidentStatus.Reported, "reject"),
        [IncidentStatus.Escalated] = (IncidentStatus.Reported, "escalate"),
        [IncidentStatus.Cancelled] = (IncidentStatus.Reported, "cancel"),
        [IncidentStatus.Dispatched] = (IncidentStatus.Accepted, "dispatch"),
        [IncidentStatus.Acknowledged] = (IncidentStatus.Dispatched, "acknowledge"),
        [IncidentStatus.OnScene] = (IncidentStatus.Acknowledged, "arrive"),
        [IncidentStatus.Resolved] = (IncidentStatus.OnScene, "resolve"),
        [IncidentStatus.Verified] = (IncidentStatus.Resolved, "verify"),
        [IncidentStatus.Closed] = (IncidentStatus.Verified, "close"),
    };

    public Task<HttpClient> ClientAsync(string username) =>
        Clients.GetOrAdd($"{platform.Address}|{username}", _ => new Lazy<Task<HttpClient>>(() => platform.SignInAsync(username))).Value;

    /// <summary>
    /// Service points of grids whose worker is available and with no incident within
    /// <paramref name="clearanceMetres"/>, never the same grid twice in a run; optionally only
    /// inside, or only outside, a region (by code prefix).
    /// </summary>
    public async Task<IReadOnlyList<Place>> FreshPlacesAsync(int count, double clearanceMetres = 300, string within = "", string outside = "")
    {
        await Handing.WaitAsync();
        try
        {
            // Degrees from metres by the length of a degree of longitude here (~90 km), so never too little clearance.
            await using var cmd = platform.Db.CreateCommand("""
                SELECT g.code, ST_X(g.service_point), ST_Y(g.service_point)
                FROM grid g JOIN staff s ON s.code = 'gw-' || g.code AND s.status = 'available'
                WHERE g.code <> ALL ($1) AND starts_with(g.code, $3) AND ($4 = '' OR NOT starts_with(g.code, $4))
                  AND NOT EXISTS (SELECT 1 FROM incident i WHERE ST_DWithin(i.location, g.service_point, $2 / 90000.0))
                ORDER BY md5(g.code)
                LIMIT $5
                """);
            foreach (var value in new object[] { HandedOut.ToArray(), clearanceMetres, within, outside, count })
                cmd.Parameters.Add(new() { Value = value });
            var places = new List<Place>();
            await using (var r = await cmd.ExecuteReaderAsync())
                while (await r.ReadAsync()) places.Add(new Place(r.GetString(0), r.GetDouble(1), r.GetDouble(2)));
            Assert.True(places.Count == count, $"Only {places.Count} fresh places left of {count} wanted.");
            HandedOut.UnionWith(places.Select(p => p.GridCode));
            return places;
        }
        finally { Handing.Release(); }
    }

    public async Task<Place> FreshPlaceAsync(double clearanceMetres = 300, string within = "", string outside = "") =>
        (await FreshPlacesAsync(1, clearanceMetres, within, outside))[0];

    public static object Report(Place place, string category = "safety", string? description = null) =>
        new { categoryCode = category, description = description ?? $"测试事件 {Guid.NewGuid():N}", lon = place.Lon, lat = place.Lat };

    public async Task<IncidentView> ReportAsync(Place place, string category = "safety", string? description = null, string reporter = Dispatcher)
    {
        var response = await (await ClientAsync(reporter)).PostAsJsonAsync("/api/incidents", Report(place, category, description));
        return await ReadAsync(response, HttpStatusCode.Created);
    }

    public async Task<IncidentView> GetAsync(long id) =>
        await ReadAsync(await (await ClientAsync(Dispatcher)).GetAsync($"/api/incidents/{id}"), HttpStatusCode.OK);

    public async Task<IReadOnlyList<RoleRecommendation>> RecommendationsAsync(long id) =>
        (await (await ClientAsync(Dispatcher)).GetFromJsonAsync<List<RoleRecommendation>>($"/api/incidents/{id}/recommendations", Web))!;

    /// <summary>The nearest available person of each role the category needs.</summary>
    public async Task<long[]> RecommendedTeamAsync(long id) =>
        (await RecommendationsAsync(id)).Select(r => r.Recommended?.StaffId ?? throw new InvalidOperationException($"Nobody available as {r.Role}.")).ToArray();

    /// <summary>POST a transition; <paramref name="ifMatch"/> null sends no If-Match header at all.</summary>
    public static async Task<HttpResponseMessage> PostTransitionAsync(HttpClient client, long id, string? ifMatch, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/incidents/{id}/transitions") { Content = JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    /// <summary>
    /// Who takes <paramref name="action"/> in real life: the assigned staff member for the field
    /// actions (the pending one to acknowledge or decline, the one who acknowledged to arrive or
    /// resolve; without a team, the grid's own worker), a dispatcher for everything else.
    /// </summary>
    public static string ActorFor(IncidentView incident, string action)
    {
        var wanted = action switch
        {
            "acknowledge" or "decline" => "pending",
            "arrive" or "resolve" => "acknowledged",
            _ => null,
        };
        if (wanted is null) return Dispatcher;
        return (incident.Assignments.LastOrDefault(a => a.Status == wanted) ?? incident.Assignments.LastOrDefault())?.StaffCode
               ?? $"gw-{incident.GridCode}";
    }

    /// <summary>Takes the action as <see cref="ActorFor"/> says, on the version given; a dispatch without staff sends the recommended team.</summary>
    public async Task<HttpResponseMessage> TakeAsync(IncidentView incident, string action, long[]? staffIds = null, string? actor = null)
    {
        if (action == "dispatch") staffIds ??= await RecommendedTeamAsync(incident.Id);
        var client = await ClientAsync(actor ?? ActorFor(incident, action));
        return await PostTransitionAsync(client, incident.Id, incident.ETag, new { action, staffIds, note = $"测试：{action}" });
    }

    /// <summary>Takes the action and insists it succeeds.</summary>
    public async Task<IncidentView> StepAsync(IncidentView incident, string action, long[]? staffIds = null, string? actor = null) =>
        await ReadAsync(await TakeAsync(incident, action, staffIds, actor), HttpStatusCode.OK);

    /// <summary>An incident in <paramref name="status"/>, reached through the API the way a city would reach it.</summary>
    public async Task<IncidentView> BuildAsync(IncidentStatus status, Place? place = null, string category = "safety")
    {
        if (status == IncidentStatus.Reported) return await ReportAsync(place ?? await FreshPlaceAsync(), category);
        var (from, action) = Route[status];
        var incident = await StepAsync(await BuildAsync(from, place, category), action);
        Assert.Equal(status, incident.Status);
        return incident;
    }

    /// <summary>Reads the body as an incident after checking the status, showing the body when the status is not the one expected.</summary>
    public static async Task<IncidentView> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        await ExpectAsync(response, expected);
        return (await response.Content.ReadFromJsonAsync<IncidentView>(Web))!;
    }

    public static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The response is a problem document (RFC 9457) with a Chinese title.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        await ExpectAsync(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", problem.GetProperty("title").GetString());
        return problem;
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var cmd = platform.Db.CreateCommand(sql);
        foreach (var p in parameters) cmd.Parameters.Add(new() { Value = p });
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
