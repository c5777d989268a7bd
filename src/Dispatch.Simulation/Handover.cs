
namespace Dispatch.Simulation;

/// <summary>
/// The board a command centre takes over (交接班): a real centre never starts its day with nothing
/// open — a case still waiting to be read, one escalated to the county's conference (评议会商),
/// a team on scene, work waiting for its check or its return visit. When a district's board is
/// empty (the first start of a demo city), this files one case per status of the lifecycle there
/// and walks it, through the public API and as the people who would act, to that status; from
/// then on the centres and the field staff carry these cases on like any other. Without it the
/// rarer outcomes (an escalation, a withdrawal) of the smallest district may take a simulated
/// week to appear, and a demo opened after five minutes would show a city with gaps in it.
/// </summary>
public sealed class Handover(City city, Intake intake)
{
    // Declared before Board, which is initialised from it.
    static readonly IncidentAction[] ToScene = [IncidentAction.Accept, IncidentAction.Dispatch, IncidentAction.Acknowledge, IncidentAction.Arrive];

    /// <summary>Each status of the board, the category a case there typically is, and the actions that lead to it.</summary>
    static readonly (IncidentStatus Status, string Category, IncidentAction[] Path)[] Board =
    [
        (IncidentStatus.Reported, "dispute.neighbour", []),
        (IncidentStatus.Accepted, "safety", [IncidentAction.Accept]),
        (IncidentStatus.Rejected, "service", [IncidentAction.Reject]),
        (IncidentStatus.Cancelled, "dispute.family", [IncidentAction.Cancel]),
        (IncidentStatus.Escalated, "dispute.demolition", [IncidentAction.Escalate]),
        (IncidentStatus.Dispatched, "order", [IncidentAction.Accept, IncidentAction.Dispatch]),
        (IncidentStatus.Acknowledged, "dispute.property", [IncidentAction.Accept, IncidentAction.Dispatch, IncidentAction.Acknowledge]),
        (IncidentStatus.OnScene, "dispute.land", [.. ToScene]),
        (IncidentStatus.Resolved, "safety", [.. ToScene, IncidentAction.Resolve]),
        (IncidentStatus.Verified, "service", [.. ToScene, IncidentAction.Resolve, IncidentAction.Verify]),
        (IncidentStatus.Closed, "dispute.neighbour", [.. ToScene, IncidentAction.Resolve, IncidentAction.Verify, IncidentAction.Close]),
    ];

    public static readonly IReadOnlyList<IncidentStatus> Statuses = Board.Select(b => b.Status).ToList();

    /// <summary>Fills the board of every district that has none; returns the districts it filled.</summary>
    public async Task<IReadOnlyList<string>> OpenAsync(CancellationToken ct)
    {
        var empty = new List<string>();
        foreach (var (district, centre) in city.Dispatchers)
        {
            var page = await city.Api.GetAsync<IncidentPageDto>(centre.Session, $"/api/incidents?regionCode={district}&pageSize=1", ct);
            if (page.Ok && page.Value!.Total == 0) empty.Add(district);
        }
        // The districts side by side, each board case by case: a few seconds in all.
        await Task.WhenAll(empty.Select(d => FillAsync(city.Dispatchers[d], ct)));
        return empty;
    }

    async Task FillAsync(Dispatcher centre, CancellationToken ct)
    {
        var grids = city.Atlas.Grids.Where(g => g.DistrictCode == centre.District).ToList();
        for (var i = 0; i < Board.Length; i++)
        {
            var (status, category, path) = Board[i];
            var rng = city.RandomFor(long.Parse(centre.District, System.Globalization.CultureInfo.InvariantCulture), 100 + i);
            var kind = CityMix.Kinds.First(k => k.Code == category);
            var incident = await intake.FileAsync(kind, Descriptions.Pick(grids, rng), rng, ct);
            foreach (var action in path)
            {
                if (incident is null) break;
                incident = await StepAsync(centre, incident, action, rng, ct);
            }
            if (incident is not null && incident.Status != status)
                city.Warn($"交接班：{centre.District} 的 {status.Wire()} 案件停在 {incident.Status.Wire()}");
        }
    }

    /// <summary>One step by whoever takes it: the centre decides and checks, the team answers, its lead arrives and resolves.</summary>
    async Task<IncidentDto?> StepAsync(Dispatcher centre, IncidentDto incident, IncidentAction action, Random rng, CancellationToken ct)
    {
        switch (action)
        {
            case IncidentAction.Dispatch:
                var team = await TeamAsync(centre, incident, ct);
                return team.Length == 0 ? null : await ByAsync(await city.CentreAsync(incident, centre.Session), incident, action, ct, staffIds: team);
            case IncidentAction.Acknowledge:
                IncidentDto? answered = incident;
                foreach (var member in incident.Team.Where(a => a.Status == "pending"))
                    answered = await city.Field.SessionAsync(member.StaffCode) is { } session ? await ByAsync(session, answered, action, ct) : null;
                return answered;
            case IncidentAction.Arrive or IncidentAction.Resolve:
                var lead = incident.Team.First(a => a.IsLive);
                return await city.Field.SessionAsync(lead.StaffCode) is { } by
                    ? await ByAsync(by, incident, action, ct,
                        note: action == IncidentAction.Resolve ? Descriptions.Resolution(incident.CategoryCode, rng) : null,
                        at: action == IncidentAction.Arrive ? Scene.Nearby(incident, rng) : null)
                    : null;
            default:
                var note = action switch
                {
                    IncidentAction.Reject => Descriptions.Pick(Dispatcher.RejectReasons, rng),
                    IncidentAction.Cancel => Dispatcher.WithdrawNote,
                    IncidentAction.Escalate => Dispatcher.EscalateNote,
                    IncidentAction.Verify => Dispatcher.VerifyNote,
                    IncidentAction.Close => Dispatcher.CloseNote,
                    _ => null,
                };
                return await ByAsync(await city.CentreAsync(incident, centre.Session), incident, action, ct, note);
        }
    }

    async Task<IncidentDto?> ByAsync(Session session, IncidentDto? incident, IncidentAction action, CancellationToken ct,
        string? note = null, long[]? staffIds = null, (double, double)? at = null)
    {
        if (incident is null) return null;
        var reply = await city.StepAsync(session, incident, action, ct, note, staffIds, at);
        if (!reply.Ok) city.Failed($"交接班 {action.Wire()} #{incident.Id}", reply);
        return reply.Value;
    }

    /// <summary>The recommended person for each role the category needs; empty when a role has nobody free.</summary>
    async Task<long[]> TeamAsync(Dispatcher centre, IncidentDto incident, CancellationToken ct)
    {
        var recommended = await city.Api.GetAsync<List<RoleChoiceDto>>(await city.CentreAsync(incident, centre.Session), $"/api/incidents/{incident.Id}/recommendations", ct);
        if (!recommended.Ok) { city.Failed($"recommendations #{incident.Id}", recommended); return []; }
        var chosen = city.Category(incident.CategoryCode).Roles
            .Select(role => recommended.Value!.FirstOrDefault(r => r.Role == role)?.InOrder.FirstOrDefault())
            .ToList();
        return chosen.Any(c => c is null) ? [] : chosen.Select(c => c!.StaffId).Distinct().ToArray();
    }
}
