using System.Collections.Concurrent;

namespace Dispatch.Simulation;

/// <summary>
/// The 7,245 field staff, each signed in as themself (username = staff code) the first time they
/// are needed, the token kept. A member answers an assignment after a while — yes, or now and
/// then no — and the first to say yes leads the team there once everyone has: arrives (with a
/// position near the incident), works the case, and resolves it with a note; now and then a
/// mediation fails and the district's centre escalates it instead.
/// </summary>
public sealed class FieldStaff(City city)
{
    readonly ConcurrentDictionary<string, Lazy<Task<Session?>>> _sessions = new();
    /// <summary>Assignments someone is answering, by assignment id → incident id.</summary>
    readonly ConcurrentDictionary<long, long> _answering = new();
    /// <summary>Incidents a team lead is heading to or working on.</summary>
    readonly ConcurrentDictionary<long, byte> _leading = new();

    public bool IsLookingAfter(long incidentId) => _leading.ContainsKey(incidentId) || _answering.Values.Contains(incidentId);

    /// <summary>The staff member's session; null when the server refuses the account (then they are left alone, not retried into a lock-out).</summary>
    public async Task<Session?> SessionAsync(string staffCode)
    {
        var lazy = _sessions.GetOrAdd(staffCode, code => new Lazy<Task<Session?>>(async () =>
        {
            var session = await city.Api.SignInAsync(code, city.Stopping);
            if (session is null) city.Warn($"{code} cannot sign in (password?)");
            return session;
        }));
        try { return await lazy.Value; }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _sessions.TryRemove(KeyValuePair.Create(staffCode, lazy)); // a network failure: try again next time
            throw;
        }
    }

    /// <summary>Takes on an incident in the field: pending members answer; an acknowledged one leads the team on.</summary>
    public void Adopt(IncidentDto incident)
    {
        foreach (var member in incident.Team.Where(a => a.Status == "pending"))
            if (_answering.TryAdd(member.Id, incident.Id))
                city.Spawn(async ct =>
                {
                    try { await AnswerAsync(incident, member, ct); }
                    finally { _answering.TryRemove(member.Id, out _); }
                });
        if (incident.Team.FirstOrDefault(a => a.Status == "acknowledged") is { } lead) Lead(incident, lead);
    }

    void Lead(IncidentDto incident, AssignmentDto lead)
    {
        if (!_leading.TryAdd(incident.Id, 0)) return;
        city.Spawn(async ct =>
        {
            try
            {
                if (await SessionAsync(lead.StaffCode) is { } session) await new Scene(city, session, incident, lead).RunAsync(ct);
            }
            finally { _leading.TryRemove(incident.Id, out _); }
        });
    }

    static readonly string[] DeclineReasons = ["正在处置另一起事件，无法及时到场。", "今日请假，不在岗。", "人在外地开会，建议另派他人。"];

    async Task AnswerAsync(IncidentDto incident, AssignmentDto member, CancellationToken ct)
    {
        var rng = city.RandomFor(member.Id, 11);
        await city.Clock.DelayAsync(Pace.Acknowledge(incident.Priority, rng), ct);
        if (await SessionAsync(member.StaffCode) is not { } session) return;
        var declines = rng.NextDouble() < CityMix.Decline;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var read = await city.ReadAsync(session, incident.Id, ct);
            if (!read.Ok) { city.Failed($"{member.StaffCode} read #{incident.Id}", read); return; }
            var current = read.Value!;
            // Released (escalated, cancelled) or no longer theirs to answer: nothing to do.
            if (current.Status != IncidentStatus.Dispatched || current.Team.FirstOrDefault(a => a.Id == member.Id)?.Status != "pending") return;

            var reply = declines
                ? await city.StepAsync(session, current, IncidentAction.Decline, ct, Descriptions.Pick(DeclineReasons, rng))
                : await city.StepAsync(session, current, IncidentAction.Acknowledge, ct);
            if (reply.Ok)
            {
                if (declines) city.Dispatchers.GetValueOrDefault(current.DistrictCode)?.Declined(current.Id);
                else Lead(reply.Value!, member);
                return;
            }
            if (!reply.Lost) { city.Failed($"{member.StaffCode} answer #{incident.Id}", reply); return; }
            city.Stats.RaceLost(); // a teammate answered at the same moment: read again
        }
    }
}
