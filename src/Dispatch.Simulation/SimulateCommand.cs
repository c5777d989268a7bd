using Microsoft.Extensions.Logging;

namespace Dispatch.Simulation;

/// <summary>
/// <c>simulate</c>: drives a running server's public API as a living city would, printing a
/// progress line every ten seconds, until Ctrl+C or <c>--duration</c>. Exit code 0, or 1 when it
/// could not start or when any request failed for a reason other than a lost race.
/// </summary>
public static class SimulateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(SimulationOptions.Usage);
            return 0;
        }
        var (options, error) = SimulationOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine($"{error}\n\n{SimulationOptions.Usage}");
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        using var logs = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
            .SetMinimumLevel(LogLevel.Information).AddFilter("System.Net.Http", LogLevel.Warning));
        var log = logs.CreateLogger("Dispatch.Simulation");

        Console.WriteLine($"模拟城市 / simulated city → {options.Url}  每日 {options.RatePerDay:N0} 件，倍速 ×{options.Speed}" +
                          (options.Duration is { } d ? $"，运行 {d}" : "，Ctrl+C 停止"));
        try
        {
            var stats = await Simulator.RunAsync(options, log, Console.WriteLine, cancel.Token);
            return stats.Errors == 0 ? 0 : 1;
        }
        catch (SimulationException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"无法连接 / cannot reach {options.Url}: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return 0;
        }
    }
}
