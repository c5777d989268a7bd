
namespace Dispatch.Simulation;

/// <summary>
/// A team lead's part: travel once the whole team has said yes, arrive with a position near the
/// incident, work the case (office-hours categories in office hours), resolve with a note. Each
/// step reads first and acts on the version read; a lost race means reading again.
/// </summary>
sealed class Scene(City city, Session session, IncidentDto incident, AssignmentDto lead)
{
    static readonly TimeSpan WaitForTeam = TimeSpan.FromMinutes(10), GiveUp = TimeSpan.FromDays(1);

    readonly Random _rng = city.RandomFor(lead.Id, 21);
    readonly SlaDto _sla = city.Category(incident.CategoryCode).Sla;

    public async Task RunAsync(CancellationToken ct)
    {
        if (incident.Status != IncidentStatus.OnScene)
        {
            var travel = city.Clock.Now + Pace.Travel(_sla, _rng);
            await city.Clock.WaitUntilAsync(_sla.WorkingHours ? Rhythm.Daytime(travel) : travel, ct);
            if (!await ArriveAsync(ct)) return;
        }

        var done = city.Clock.Now + Pace.Handle(_sla, _rng);
        await city.Clock.WaitUntilAsync(_sla.WorkingHours ? Rhythm.OfficeHours(done) + Pace.Jitter(_rng) : done, ct);
        if (CityMix.IsDispute(incident.CategoryCode) && incident.Level == "village" && _rng.NextDouble() < CityMix.MediationFails)
        {
            city.Dispatchers.GetValueOrDefault(incident.DistrictCode)?.MediationFailed(incident);
            return;
        }
        await ResolveAsync(ct);
    }

    /// <summary>Arrives once every live member has acknowledged; false when the incident went elsewhere meanwhile.</summary>
    async Task<bool> ArriveAsync(CancellationToken ct)
    {
        var giveUp = city.Clock.Now + GiveUp;
        while (city.Clock.Now < giveUp)
        {
            var read = await city.ReadAsync(session, incident.Id, ct);
            if (!read.Ok) { city.Failed($"{lead.StaffCode} read #{incident.Id}", read); return false; }
            var current = read.Value!;
            switch (current.Status)
            {
                case IncidentStatus.OnScene:
                    return true;
                case IncidentStatus.Dispatched: // a teammate has not answered yet, or a replacement is on the way
                    await city.Clock.DelayAsync(city.Clock.AtLeastReal(WaitForTeam, TimeSpan.FromSeconds(2)), ct);
                    continue;
                case IncidentStatus.Acknowledged:
                    var reply = await city.StepAsync(session, current, IncidentAction.Arrive, ct, at: Nearby(current, _rng));
                    if (reply.Ok) return true;
                    if (!reply.Lost) { city.Failed($"{lead.StaffCode} arrive #{incident.Id}", reply); return false; }
                    city.Stats.RaceLost();
                    continue;
                default:
                    return false; // escalated, cancelled, or taken back
            }
        }
        return false;
    }

    async Task ResolveAsync(CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var read = await city.ReadAsync(session, incident.Id, ct);
            if (!read.Ok) { city.Failed($"{lead.StaffCode} read #{incident.Id}", read); return; }
            if (read.Value!.Status != IncidentStatus.OnScene) return;
            var reply = await city.StepAsync(session, read.Value, IncidentAction.Resolve, ct, Descriptions.Resolution(incident.CategoryCode, _rng));
            if (reply.Ok || !reply.Lost) { if (!reply.Ok) city.Failed($"{lead.StaffCode} resolve #{incident.Id}", reply); return; }
            city.Stats.RaceLost();
        }
    }

    /// <summary>Where the lead reports from: within about 30 m of the incident.</summary>
    internal static (double Lon, double Lat) Nearby(IncidentDto at, Random rng)
    {
        const double metres = 30, perDegree = 111_320;
        return (at.Lon + (rng.NextDouble() * 2 - 1) * metres / (perDegree * Math.Cos(at.Lat * Math.PI / 180)),
            at.Lat + (rng.NextDouble() * 2 - 1) * metres / perDegree);
    }
}
