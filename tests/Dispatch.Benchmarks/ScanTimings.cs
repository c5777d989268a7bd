using System.Diagnostics;
using Dispatch.EarlyWarning.Scan;

namespace Dispatch.Benchmarks;

/// <summary>
/// The B6 operations timed by wall clock and by process CPU time. On a shared machine the wall
/// clock also measures the neighbours; CPU seconds (what docs/benchmarks.md asks detectors to report)
/// do not. The replicates run on every core, so on an idle machine their wall time approaches
/// CPU ÷ cores; a scoring run is one thread, so its wall time approaches its CPU time.
/// </summary>
public static class ScanTimings
{
    public static void Run()
    {
        Console.WriteLine($"{Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (var perDay in new[] { 1_000, 5_000 })
        {
            var data = new ScanData(perDay);
            var nul = ExpectationBasedScan.Null(data.Zones, data.Baselines, data.Options, new Random(1));
            Console.WriteLine($"{perDay:N0} incidents a day, {data.Points.Length:N0} grids, {data.Zones.Count:N0} zones × {ScanData.MaxWindow} windows");
            Time("expectation-based scan: one scoring run", 20, () => ExpectationBasedScan.Score(data.Zones, data.Counts, data.Baselines, data.Options, nul));
            Time("expectation-based scan: 999-replicate null", 3, () => ExpectationBasedScan.Null(data.Zones, data.Baselines, data.Options, new Random(2)));
            Time("space-time permutation scan, 999 replicates", 3, () => SpaceTimePermutationScan.Run(data.Zones, data.Counts, data.Options, new Random(3)));
        }
    }

    static void Time(string what, int times, Action action)
    {
        action(); // warm-up: tiered compilation
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < times; i++) action();
        wall.Stop();
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds / times;
        Console.WriteLine($"  {what,-48} wall {wall.Elapsed.TotalSeconds / times,7:F3} s   CPU {cpuSeconds,7:F3} s");
    }
}
