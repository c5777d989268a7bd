using System.Net;
using System.Net.Http.Json;
using Dispatch.Server.Incidents;
using Npgsql;

namespace Dispatch.Tests;

public sealed partial class TestKit
{
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

    /// <summary>POST a transition; <paramref name="ifMatch"/> null sends no If-Match header at all.</summary>
    public static async Task<HttpResponseMessage> PostTransitionAsync(HttpClient client, long id, string? ifMatch, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/incidents/{id}/transitions") { Content = JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    /// <summary>Takes the action through <paramref name="client"/> on the incident's version, whatever the answer.</summary>
    public static Task<HttpResponseMessage> TakeAsync(HttpClient client, IncidentView incident, string action, long[]? staffIds = null) =>
        PostTransitionAsync(client, incident.Id, incident.ETag, new { action, staffIds, note = $"测试：{action}", deadline = DateTimeOffset.UtcNow.AddDays(3) });

    /// <summary>Takes the action through <paramref name="client"/> and insists it succeeds.</summary>
    public static async Task<IncidentView> StepAsync(HttpClient client, IncidentView incident, string action, long[]? staffIds = null) =>
        await ReadAsync(await TakeAsync(client, incident, action, staffIds), HttpStatusCode.OK);

    /// <summary>
    /// Who takes <paramref name="action"/> in real life: the assigned staff member for the field
    /// actions (the pending one to acknowledge or decline, the one who acknowledged to arrive or
    /// resolve; without a team, the grid's own worker), a dispatcher of the responsible centre for
    /// everything else (the only centre that may act on it).
    /// </summary>
    public static string ActorFor(IncidentView incident, string action)
    {
        var wanted = action switch
        {
            "acknowledge" or "decline" => "pending",
            "arrive" or "resolve" => "acknowledged",
            _ => null,
        };
        if (wanted is null) return CentreDispatcher(incident);
        return (incident.Assignments.LastOrDefault(a => a.Status == wanted) ?? incident.Assignments.LastOrDefault())?.StaffCode
               ?? $"gw-{incident.GridCode}";
    }

    /// <summary>The demo dispatcher of the incident's responsible centre: <c>dispatcher-&lt;code&gt;</c>, or the city's.</summary>
    public static string CentreDispatcher(IncidentView incident) => DispatcherOf(incident.CentreCode);

    /// <summary>The demo dispatcher of the centre with this region code.</summary>
    public static string DispatcherOf(string centreCode) => centreCode == "410600" ? Dispatcher : $"dispatcher-{centreCode}";

    /// <summary>The demo dispatcher of the centre directly above the incident's responsible one (who may pull it up).</summary>
    public static string SuperiorDispatcher(IncidentView incident) =>
        DispatcherOf(Dispatch.Server.Supervision.Centres.Parent(incident.CentreCode) ?? throw new InvalidOperationException("The city has no superior."));

    /// <summary>Takes the action as <see cref="ActorFor"/> says, on the version given; a dispatch without staff sends the recommended team.</summary>
    public async Task<HttpResponseMessage> TakeAsync(IncidentView incident, string action, long[]? staffIds = null, string? actor = null)
    {
        if (action == "dispatch") staffIds ??= await RecommendedTeamAsync(incident.Id);
        return await TakeAsync(await ClientAsync(actor ?? ActorFor(incident, action)), incident, action, staffIds);
    }

    /// <summary>Takes the action as <see cref="ActorFor"/> says and insists it succeeds.</summary>
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

    /// <summary>Accepts the incident and dispatches it to the staff member with this code.</summary>
    public static async Task<IncidentView> DispatchToAsync(HttpClient dispatcher, NpgsqlDataSource db, IncidentView incident, string staffCode)
    {
        var accepted = await StepAsync(dispatcher, incident, "accept");
        return await StepAsync(dispatcher, accepted, "dispatch", [await StaffIdAsync(db, staffCode)]);
    }
}
