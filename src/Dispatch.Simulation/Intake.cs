using MathNet.Numerics.Distributions;

namespace Dispatch.Simulation;

/// <summary>
/// The public and the grid workers reporting: a non-homogeneous Poisson process in simulated time
/// (Lewis–Shedler thinning: candidates at the peak rate, each kept with probability rate(t) ÷ peak),
/// with the rate of <see cref="Rhythm"/> and the mix of <see cref="CityMix"/>, at a grid drawn by
/// weight and a random point inside it. Grid workers file what they find themselves; calls,
/// walk-ins, 110 transfers and online reports are entered by the district's command centre.
/// Everything about a report is drawn from one seeded stream, so a seed gives the same city.
/// </summary>
public sealed class Intake(City city, double perDay, int seed)
{
    readonly string _run = $"sim-{Guid.NewGuid():N}"[..16];
    sealed record Report(SimGrid Grid, NewIncident Body, string Key);

    public async Task RunAsync(CancellationToken ct)
    {
        var rng = new MathNet.Numerics.Random.MersenneTwister(seed, threadSafe: false);
        var peak = Rhythm.MaxPerMinute(perDay);
        var rates = new double[CityMix.Kinds.Length];
        var t = city.Clock.Now;
        while (!ct.IsCancellationRequested)
        {
            t += TimeSpan.FromMinutes(Exponential.Sample(rng, peak));
            for (var i = 0; i < rates.Length; i++) rates[i] = Rhythm.PerMinute(CityMix.Kinds[i], t, perDay);
            if (rng.NextDouble() * peak >= rates.Sum()) continue;

            var kind = CityMix.Kinds[Categorical.Sample(rng, rates)];
            var report = Compose(kind, rng);
            // A visible event gets a second caller a few minutes later, a few dozen metres away.
            var twin = rng.NextDouble() < kind.Duplicate ? Twin(kind, report, rng) : null;
            var twinAfter = Pace.LogNormal(rng, TimeSpan.FromMinutes(8), 0.7);

            await city.Clock.WaitUntilAsync(t, ct);
            city.Spawn(token => FileAsync(report, token));
            if (twin is not null)
                city.Spawn(async token =>
                {
                    await city.Clock.DelayAsync(twinAfter, token);
                    await FileAsync(twin, token);
                });
        }
    }

    Report Compose(Kind kind, Random rng) => Compose(kind, city.Atlas.Pick(), rng);

    Report Compose(Kind kind, SimGrid grid, Random rng)
    {
        var (lon, lat) = GridAtlas.PointIn(grid, rng);
        return Describe(kind, grid, lon, lat, Descriptions.Report(kind.Code, Descriptions.Place(grid.Name), rng), rng);
    }

    Report Twin(Kind kind, Report first, Random rng)
    {
        var (lon, lat) = GridAtlas.Near(first.Grid, first.Body.Lon, first.Body.Lat, 40, rng);
        return Describe(kind, first.Grid, lon, lat, Descriptions.Repeat(kind.Code, Descriptions.Place(first.Grid.Name), rng), rng);
    }

    Report Describe(Kind kind, SimGrid grid, double lon, double lat, string description, Random rng)
    {
        var source = (Source)Categorical.Sample(rng, kind.Sources);
        var contact = rng.NextDouble() < CityMix.GivesContact[(int)source];
        var name = Descriptions.Name(rng);
        var phone = Descriptions.Phone(rng);
        int? priority = rng.NextDouble() < CityMix.Urgent ? Math.Max(1, city.Category(kind.Code).Priority - 1) : null;
        // The same seed replays the same city; the run's own prefix keeps its keys apart from an earlier
        // run's on the same database (./run.sh again), where a repeated key would mean "the same report".
        var key = $"{_run}-{new Guid(Enumerable.Range(0, 16).Select(_ => (byte)rng.Next(256)).ToArray())}";
        return new Report(grid, new NewIncident(kind.Code, description, lon, lat, priority, source.Wire(),
            contact ? name : null, contact ? phone : null), key);
    }

    /// <summary>Files a report of <paramref name="kind"/> in <paramref name="grid"/> now: the incident, or null when it was refused.</summary>
    public Task<IncidentDto?> FileAsync(Kind kind, SimGrid grid, Random rng, CancellationToken ct) => FileAsync(Compose(kind, grid, rng), ct);

    /// <summary>Files the report: a grid worker in their own name, anything else through the district's centre.</summary>
    async Task<IncidentDto?> FileAsync(Report report, CancellationToken ct)
    {
        var session = report.Body.Source == Source.GridWorker.Wire() ? await city.Field.SessionAsync($"gw-{report.Grid.Code}") : null;
        if (!city.Dispatchers.TryGetValue(report.Grid.DistrictCode, out var centre)) return null;
        session ??= centre.Session;
        // The same key on every retry: a report the server took before the connection broke is not filed twice.
        var reply = await city.Api.PostAsync<IncidentDto>(session, "/api/incidents", report.Body, ct, idempotencyKey: report.Key);
        if (reply.Ok) city.Stats.IncidentCreated();
        else city.Failed($"report in grid {report.Grid.Code}", reply);
        return reply.Value;
    }
}
