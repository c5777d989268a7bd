using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Dispatch.Geography;
using Dispatch.Server.Regions;

namespace Dispatch.Benchmarks;

/// <summary>
/// The demo geography's generation from Hebi's 1,041 villages and the coarse outline: what a first
/// `./run.sh` waits for before the map has grids (it used to be a timed unit test, which a busy CI
/// runner failed at 21 s).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class GeographyBenchmarks
{
    IReadOnlyList<Division> _divisions = [];
    GeographySketch _sketch = null!;

    [GlobalSetup]
    public void Setup() => (_divisions, _sketch) = SeedGeography.ReadEmbeddedData();

    [Benchmark]
    public int Generate() => GeographyGenerator.Generate(_divisions, _sketch).Grids.Count;
}
