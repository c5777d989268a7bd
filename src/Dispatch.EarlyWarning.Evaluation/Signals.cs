namespace Dispatch.EarlyWarning.Evaluation;

/// <summary>Where an injected signal falls (docs/benchmarks.md).</summary>
public enum Shape
{
    /// <summary>One grid.</summary>
    OneGrid,
    /// <summary>A grid and its 3 nearest.</summary>
    Nearest4,
    /// <summary>A grid and its 15 nearest.</summary>
    Nearest16,
    /// <summary>A grid and its 63 nearest.</summary>
    Nearest64,
    /// <summary>Every grid of one village.</summary>
    Village,
    /// <summary>16 nearest grids that straddle a township border (at least a quarter on each side).</summary>
    AcrossTownships,
    /// <summary>Three incidents at one address of one grid on three days within a week (the first on
    /// day 1): three extra counts, the rest of the scenario's settings ignored.</summary>
    RepeatAddress,
    /// <summary>Three incidents between the same parties in one grid within two weeks, each more
    /// severe than the last (a quarrel, a fight, an assault), in place of three ordinary incidents:
    /// the counts do not change at all.</summary>
    Escalation,
}

/// <summary>How the excess is spread over the signal's days.</summary>
public enum Profile
{
    /// <summary>A step: the full height on every day (on a 1-day signal, a spike).</summary>
    Spike,
    /// <summary>Rising linearly to the full height on the last day.</summary>
    Ramp,
    /// <summary>An epidemic curve: Sartwell's log-normal (median at half the duration, dispersion
    /// factor 1.5, i.e. σ = ln 1.5), scaled so its peak day has the full height.</summary>
    LogNormal,
}

/// <summary>
/// One cell of the factorial: shape × duration × profile × height, the height in standard deviations
/// of the region's baseline count on each day (√Σμ, or √Σ(μ + μ²/θ) under the negative binomial).
/// </summary>
public sealed record Scenario(Shape Shape, int Days, Profile Profile, double Sds)
{
    /// <summary>A short label for tables.</summary>
    public string Label => Planted ? $"{ShapeLabel(Shape)} · 3 incidents in {Days} d" : $"{ShapeLabel(Shape)} · {Days} d · {ProfileLabel(Profile)} · {Sds:0.#} SD";

    static string ShapeLabel(Shape s) => s switch
    {
        Shape.OneGrid => "1 grid",
        Shape.Nearest4 => "4 nearest",
        Shape.Nearest16 => "16 nearest",
        Shape.Nearest64 => "64 nearest",
        Shape.Village => "village",
        Shape.AcrossTownships => "16 across townships",
        Shape.RepeatAddress => "repeat address",
        _ => "escalation",
    };

    /// <summary>Whether this is one of the incident-level scenarios (repeat address, escalation).</summary>
    public bool Planted => Shape is Shape.RepeatAddress or Shape.Escalation;

    static string ProfileLabel(Profile p) => p switch { Profile.Spike => "spike", Profile.Ramp => "ramp", _ => "log-normal" };

    /// <summary>Relative height of day i (0-based) of a signal of this duration; the peak is 1.</summary>
    public double Height(int day)
    {
        switch (Profile)
        {
            case Profile.Spike: return 1;
            case Profile.Ramp: return (day + 1.0) / Days;
            default:
                {
                    var sigma = Math.Log(1.5);
                    var median = Days / 2.0;
                    double Density(double x) => Math.Exp(-Math.Pow(Math.Log(x / median), 2) / (2 * sigma * sigma)) / x;
                    var peak = Enumerable.Range(0, Days).Max(i => Density(i + 0.5));
                    return Density(day + 0.5) / peak;
                }
        }
    }
}

/// <summary>An incident planted by an incident-level scenario: its grid, day, severity and the key
/// (address or party) that links it to the others.</summary>
public readonly record struct Planted(int Grid, int Day, int Severity, string Key);

/// <summary>An injected signal: its grids, its first day (day index of the background) and the
/// extra counts added, as (grid, day, extra) triples; for incident-level scenarios, the incidents.</summary>
public sealed record Injection(int[] Grids, int Start, int Days, (int Grid, int Day, int Extra)[] Extras, Planted[]? Incidents = null)
{
    /// <summary>Whether grid g is one of the signal's.</summary>
    public bool Contains(int grid) => Array.IndexOf(Grids, grid) >= 0;

    /// <summary>
    /// Draws the region and start of <paramref name="scenario"/> and its extra counts: on day i the
    /// expected excess is Sds·sd_i·Height(i), spread over the grids in proportion to their true means
    /// and drawn as Poisson counts (Neill 2009 injects the same way). Starts are uniform over the
    /// days <paramref name="from"/> … <paramref name="to"/> − Days.
    /// </summary>
    public static Injection Draw(Scenario scenario, Nesting nesting, Background background, int from, int to, Random rng)
    {
        if (scenario.Planted) return Plant(scenario, nesting, from, to, rng);
        var grids = Region(scenario.Shape, nesting, rng);
        var start = rng.Next(from, to - scenario.Days + 1);
        var extras = new List<(int, int, int)>();
        var size = background.Options.Size;
        for (var i = 0; i < scenario.Days; i++)
        {
            var day = start + i;
            double mean = 0, variance = 0;
            foreach (var g in grids)
            {
                var mu = background.Mean(g, day);
                mean += mu;
                variance += double.IsFinite(size) ? mu + mu * mu / size : mu;
            }
            var excess = scenario.Sds * Math.Sqrt(variance) * scenario.Height(i);
            foreach (var g in grids)
            {
                var extra = Evaluation.Draw.Poisson(rng, excess * background.Mean(g, day) / mean);
                if (extra > 0) extras.Add((g, day, extra));
            }
        }
        return new Injection(grids, start, scenario.Days, [.. extras]);
    }

    // Three incidents on day 1 and two other distinct days of the scenario's span; an address key
    // for a repeat, a party key and severities 1 → 3 → 4 tiers for an escalation (DisputeSeverity).
    static Injection Plant(Scenario scenario, Nesting nesting, int from, int to, Random rng)
    {
        var grid = rng.Next(nesting.Grids);
        var start = rng.Next(from, to - scenario.Days + 1);
        var later = Enumerable.Range(1, scenario.Days - 1).OrderBy(_ => rng.Next()).Take(2).Order().ToArray();
        int[] days = [start, start + later[0], start + later[1]];
        var key = $"planted/{rng.Next()}";
        Planted[] incidents = scenario.Shape == Shape.RepeatAddress
            ? [.. days.Select(d => new Planted(grid, d, 5, key))]
            : [new(grid, days[0], 1 * 4 + 1, key), new(grid, days[1], 3 * 4 + 1, key), new(grid, days[2], 4 * 4 + 1, key)];
        var extras = scenario.Shape == Shape.RepeatAddress ? days.Select(d => (grid, d, 1)).ToArray() : [];
        return new Injection([grid], start, scenario.Days, extras, incidents);
    }

    static int[] Region(Shape shape, Nesting nesting, Random rng)
    {
        var zones = nesting.Zones;
        int[] Nearest(int k)
        {
            for (var attempt = 0; attempt < 10_000; attempt++)
            {
                var c = rng.Next(nesting.Grids);
                if (zones.SizesAt(c) >= k) return zones.Members(c, k).ToArray();
            }
            throw new InvalidOperationException($"No grid has {k} neighbours within the zones (zone size {zones.MaxSize}).");
        }
        switch (shape)
        {
            case Shape.OneGrid: return Nearest(1);
            case Shape.Nearest4: return Nearest(4);
            case Shape.Nearest16: return Nearest(16);
            case Shape.Nearest64: return Nearest(64);
            case Shape.Village:
                {
                    var villages = nesting.Members(Level.Village);
                    return villages[rng.Next(villages.Length)];
                }
            default:
                {
                    var township = nesting.UnitOf(Level.Township);
                    for (var attempt = 0; attempt < 100_000; attempt++)
                    {
                        var c = rng.Next(nesting.Grids);
                        if (zones.SizesAt(c) < 16) continue;
                        var members = zones.Members(c, 16).ToArray();
                        var inCentre = members.Count(g => township[g] == township[c]);
                        if (inCentre >= 4 && inCentre <= 12) return members;
                    }
                    throw new InvalidOperationException("No 16-grid zone straddles a township border.");
                }
        }
    }
}
