using BenchmarkDotNet.Running;
using Dispatch.Benchmarks;

// dotnet run -c Release --project tests/Dispatch.Benchmarks -- locate     (B1: BenchmarkDotNet)
// dotnet run -c Release --project tests/Dispatch.Benchmarks -- locate-latency
// dotnet run -c Release --project tests/Dispatch.Benchmarks -- geography  (the demo geography's generation at first start)
// dotnet run -c Release --project tests/Dispatch.Benchmarks -- scan       (B6: scan detectors, no database)
// dotnet run -c Release --project tests/Dispatch.Benchmarks -- scan-cpu   (B6: wall and CPU seconds)
// dotnet run -c Release --project tests/Dispatch.Benchmarks -- job-latency [--minutes 6] [--idle-seconds 60]   (B7)
// dotnet run -c Release --project tests/Dispatch.Benchmarks -- assessment --url URL --db CONNECTION   (考核 reads over a year's past)
if (args is ["assessment", ..])
{
    await AssessmentReads.RunAsync(args);
    return;
}
if (args is ["locate-latency", ..])
{
    await LocateLatencyAndAgreement.RunAsync();
    return;
}
if (args is ["job-latency", ..])
{
    await JobLatency.RunAsync(args);
    return;
}
if (args is ["scan-cpu", ..])
{
    ScanTimings.Run();
    return;
}
BenchmarkSwitcher.FromTypes([typeof(LocateBenchmarks), typeof(ScanScoringBenchmarks), typeof(ScanNullBenchmarks), typeof(GeographyBenchmarks)]).Run(args switch
{
    ["geography", .. var rest] => ["--filter", "*Geography*", .. rest],
    ["locate", .. var rest] => ["--filter", "*Locate*", .. rest],
    ["scan", .. var rest] => ["--filter", "*Scan*", .. rest],
    _ => args,
});
