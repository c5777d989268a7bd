using Dispatch.EarlyWarning.Evaluation;
using Dispatch.EarlyWarning.Scan;

namespace Dispatch.EarlyWarning.Tests.Evaluation;

/// <summary>
/// A 24 × 20 lattice of grids with real-looking 15-digit codes: villages of 2 × 2 grids (120), six
/// townships of 8 × 10 grids — small enough for the evaluation tests to run in seconds.
/// </summary>
static class SmallCity
{
    public static GridPoint[] Grids()
    {
        var grids = new List<GridPoint>();
        for (var i = 0; i < 24; i++)
            for (var j = 0; j < 20; j++)
            {
                var township = i / 8 * 2 + j / 10;
                var village = i % 8 / 2 * 5 + j % 10 / 2;
                var grid = i % 2 * 2 + j % 2;
                grids.Add(new GridPoint($"410602{township + 1:000}{village + 1:000}{grid + 1:000}", 114.0 + i * 0.01, 35.5 + j * 0.01));
            }
        return [.. grids];
    }

    static World? world;

    /// <summary>One signal-free world at 200 a day, shared by the tests (it is read-only).</summary>
    public static World World => world ??= Make(200, seed: 7);

    public static World Make(double perDay, int seed) =>
        new(new Nesting(Grids(), zoneSize: 16), Background.Generate(480, new BackgroundOptions(PerDay: perDay), new Random(seed)));
}
