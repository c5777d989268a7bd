
namespace Dispatch.Simulation;

/// <summary>
/// Sending the team an incident still lacks: for each role its category needs and nobody live
/// fills, the recommended person (<c>GET …/recommendations</c>), or the next one when the
/// recommended person already declined this incident. The new members hear of it on their phones
/// (<see cref="FieldStaff.Adopt"/>). When nobody is free, or someone else was faster, it reads
/// again and tries a little later.
/// </summary>
public sealed class Dispatching(City city, Session session)
{
    const int Attempts = 4;

    public async Task TeamUpAsync(long id, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var read = await city.ReadAsync(session, id, ct);
            if (!read.Ok) { city.Failed($"read #{id}", read); return; }
            var incident = read.Value!;
            if (incident.Status is not (IncidentStatus.Accepted or IncidentStatus.Dispatched or IncidentStatus.Acknowledged)) return;

            var live = incident.Team.Where(a => a.IsLive).Select(a => a.Role).ToHashSet();
            var missing = city.Category(incident.CategoryCode).Roles.Where(r => !live.Contains(r)).ToList();
            if (missing.Count == 0) return;
            var declined = incident.Team.Where(a => a.Status == "declined").Select(a => a.StaffId).ToHashSet();

            var centre = await city.CentreAsync(incident, session); // who sends, and from whose area
            var recommended = await city.Api.GetAsync<List<RoleChoiceDto>>(centre, $"/api/incidents/{id}/recommendations", ct);
            if (!recommended.Ok) { city.Failed($"recommendations #{id}", recommended); return; }
            var chosen = missing
                .Select(role => recommended.Value!.FirstOrDefault(r => r.Role == role)?.InOrder.FirstOrDefault(c => !declined.Contains(c.StaffId)))
                .OfType<CandidateDto>().Select(c => c.StaffId).Distinct().ToArray();
            if (chosen.Length > 0)
            {
                var reply = await city.StepAsync(centre, incident, IncidentAction.Dispatch, ct, staffIds: chosen);
                if (reply.Ok) { city.Field.Adopt(reply.Value!); return; }
                // 409: someone chosen was sent elsewhere a moment ago; 412: the incident moved on. Both mean: look again.
                if (!reply.Lost) { city.Failed($"dispatch #{id}", reply); return; }
                city.Stats.RaceLost();
            }
            await city.Clock.DelayAsync(TimeSpan.FromMinutes(5 * attempt), ct);
        }
    }
}
