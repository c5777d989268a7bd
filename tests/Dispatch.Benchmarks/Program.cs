using BenchmarkDotNet.Running;
using Dispatch.Benchmarks;

// dotnet run -c Release --project tests/Dispatch.Benchmarks -- locate     (B1: BenchmarkDotNet)
// dotnet run -c Release --project tests/Dispatch.Benchmarks -- locate-latency
if (args is ["locate-latency", ..])
{
    await LocateLatencyAndAgreement.RunAsync();
    return;
}
BenchmarkSwitcher.FromTypes([typeof(LocateBenchmarks)]).Run(args is ["locate", .. var rest] ? ["--filter", "*Locate*", .. rest] : args);
