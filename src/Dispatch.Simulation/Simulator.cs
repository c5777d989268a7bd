using Microsoft.Extensions.Logging;

namespace Dispatch.Simulation;

/// <summary>
/// A living Hebi driving the public API: the city centre hands out the map and the categories, a
/// command centre per district works its queue, the public and the grid workers report, field
/// staff answer and go. The command line (<c>simulate</c>) and the server's hosted simulator both
/// run this; it never touches the database.
/// </summary>
public static class Simulator
{
    /// <summary>Runs until <paramref name="ct"/> is cancelled or the options' duration has passed; returns what happened.</summary>
    public static async Task<SimulationStats> RunAsync(SimulationOptions options, ILogger log, Action<string> progress, CancellationToken ct)
    {
        var stats = new SimulationStats();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (options.Duration is { } duration) stop.CancelAfter(duration);
        using var api = new DispatchApi(options.Url, options.Password, options.MaxConcurrentRequests, stats);

        var city = await BuildAsync(api, options, stats, log, stop.Token);
        log.LogInformation("Simulation: {Grids} grids, {Districts} district centres, {Rate:N0} incidents a day, speed ×{Speed}",
            city.Atlas.Grids.Count, city.Dispatchers.Count, options.RatePerDay, options.Speed);

        var intake = new Intake(city, options.RatePerDay, options.Seed);
        try
        {
            if (options.Handover) await HandOverAsync(city, intake, log, stop.Token);
            var actors = city.Dispatchers.Values.Select(d => d.RunAsync(stop.Token))
                .Append(intake.RunAsync(stop.Token))
                .Append(ReportProgressAsync(city, options.ProgressEvery, progress, stop.Token))
                .ToList();
            await Task.WhenAll(actors);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        await city.DrainAsync();
        progress(stats.Line(city.Clock.Now));
        return stats;
    }

    static async Task<City> BuildAsync(DispatchApi api, SimulationOptions options, SimulationStats stats, ILogger log, CancellationToken ct)
    {
        var centre = await api.SignInAsync("city.dispatcher", ct)
            ?? throw new SimulationException($"无法以 city.dispatcher 登录 {options.Url}（密码错误或未启用演示模式？）/ cannot sign in: wrong password, or demo mode off?");
        var categories = await api.GetAsync<List<CategoryDto>>(centre, "/api/categories", ct);
        var grids = await api.GetAsync<string>(centre, "/api/grids", ct);
        if (!categories.Ok || !grids.Ok) throw new SimulationException($"读取类别或网格失败 / cannot read categories or grids: {categories.Problem ?? grids.Problem}");

        var atlas = GridAtlas.Parse(grids.Value!, options.Seed);
        var city = new City(api, new SimClock(TimeProvider.System, options.Speed, options.Start), stats, atlas,
            categories.Value!.ToDictionary(c => c.Code), options, log, ct);
        city.Field = new FieldStaff(city);
        foreach (var district in atlas.Districts)
        {
            var session = await api.SignInAsync($"dispatcher-{district}", ct)
                ?? throw new SimulationException($"无法以 dispatcher-{district} 登录 / cannot sign in as the district's dispatcher");
            city.Dispatchers[district] = new Dispatcher(city, district, session);
        }
        return city;
    }

    static async Task HandOverAsync(City city, Intake intake, ILogger log, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var opened = await new Handover(city, intake).OpenAsync(ct);
        if (opened.Count > 0)
            log.LogInformation("Simulation: {Count} district boards were empty; each took over a case in every status (交接班) in {Seconds:F1} s",
                opened.Count, started.Elapsed.TotalSeconds);
    }

    static async Task ReportProgressAsync(City city, TimeSpan every, Action<string> progress, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(every);
        while (await timer.WaitForNextTickAsync(ct)) progress(city.Stats.Line(city.Clock.Now));
    }
}

/// <summary>The simulation cannot start (server unreachable, accounts missing): said once, in words a person can act on.</summary>
public sealed class SimulationException(string message) : Exception(message);
