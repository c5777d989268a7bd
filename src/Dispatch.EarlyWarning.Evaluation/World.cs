namespace Dispatch.EarlyWarning.Evaluation;

/// <summary>
/// What every detector sees: the background, its baseline fitted on the two training years, and
/// the village and township series over the scored days. Built once per background and shared by
/// all detectors and replicates.
/// </summary>
/// <remarks>
/// The baseline is the citywide negative-binomial log-linear model (<see cref="BaselineModel"/>:
/// trend, weekday, annual cycle) fitted to the training years' citywide totals, times each grid's
/// share of the training counts (with half an incident added, so a grid with none is not
/// infinitely surprised by its first): proportional allocation, one well-estimated model instead
/// of 4,122 noisy ones. Scored days start <see cref="RunIn"/> days before the test year so the
/// CUSUM and EWMA reach their steady state and EARS has its 7 + 2 + 2 days of history.
/// </remarks>
public sealed class World
{
    /// <summary>Days scored before the test year and discarded.</summary>
    public const int RunIn = 60;

    readonly Dictionary<Level, UnitSeries> series = [];

    /// <summary>Fits the baseline and sums the unit series.</summary>
    public World(Nesting nesting, Background background)
    {
        if (nesting.Grids != background.Grids) throw new ArgumentException($"{background.Grids} grids of counts for {nesting.Grids} grids of nesting.", nameof(background));
        Nesting = nesting;
        Background = background;
        var training = background.Options.TrainingDays;
        TestStart = training;
        var city = new double[training];
        var gridTotals = new double[background.Grids];
        for (var g = 0; g < background.Grids; g++)
            for (var t = 0; t < training; t++)
            {
                city[t] += background[g, t];
                gridTotals[g] += background[g, t];
            }
        Model = BaselineModel.Fit(BackgroundOptions.Origin, city, BaselineModel.TermsFor(training));
        CityExpected = Model.Expected(BackgroundOptions.Origin, background.Days);
        var total = gridTotals.Sum() + 0.5 * background.Grids;
        Share = [.. gridTotals.Select(c => (c + 0.5) / total)];
        foreach (var level in Enum.GetValues<Level>()) series[level] = new UnitSeries(this, level);
    }

    /// <summary>The grids, their units and zones.</summary>
    public Nesting Nesting { get; }

    /// <summary>The simulated counts.</summary>
    public Background Background { get; }

    /// <summary>The citywide model fitted on the training years.</summary>
    public BaselineModel Model { get; }

    /// <summary>Expected citywide count of every day (fitted on training, extrapolated to test).</summary>
    public double[] CityExpected { get; }

    /// <summary>Each grid's share of the city, from the training years.</summary>
    public double[] Share { get; }

    /// <summary>First day of the test year (day index of the background).</summary>
    public int TestStart { get; }

    /// <summary>Days in the test year.</summary>
    public int TestDays => Background.Days - TestStart;

    /// <summary>First scored day, <see cref="RunIn"/> before the test year.</summary>
    public int RunStart => TestStart - RunIn;

    /// <summary>Days scored: run-in plus test.</summary>
    public int RunDays => Background.Days - RunStart;

    /// <summary>The baseline's expected count of grid g on day t.</summary>
    public double Expected(int grid, int day) => Share[grid] * CityExpected[day];

    /// <summary>Observed and expected daily series of every unit of a level over the scored days.</summary>
    public UnitSeries Series(Level level) => series[level];
}

/// <summary>Daily observed and expected counts of every village (or township) over the scored days,
/// and a negative-binomial size per unit estimated on the training years.</summary>
public sealed class UnitSeries
{
    internal UnitSeries(World world, Level level)
    {
        var n = world.Nesting;
        Level = level;
        Members = n.Members(level);
        UnitOf = n.UnitOf(level);
        var units = Members.Length;
        Observed = new double[units][];
        Expected = new double[units][];
        Size = new double[units];
        var b = world.Background;
        for (var u = 0; u < units; u++)
        {
            var obs = Observed[u] = new double[world.RunDays];
            var exp = Expected[u] = new double[world.RunDays];
            double share = 0, squares = 0, means = 0, meanSquares = 0;
            foreach (var g in Members[u])
            {
                share += world.Share[g];
                for (var d = 0; d < world.RunDays; d++) obs[d] += b[g, world.RunStart + d];
            }
            for (var d = 0; d < world.RunDays; d++) exp[d] = share * world.CityExpected[world.RunStart + d];
            // θ by moments on the training years: Σ(y − μ)² = Σμ + Σμ²/θ (as MASS's theta.mm without
            // the degrees-of-freedom correction); +∞ when the data are no more variable than Poisson.
            for (var t = 0; t < world.TestStart; t++)
            {
                var y = 0.0;
                foreach (var g in Members[u]) y += b[g, t];
                var mu = share * world.CityExpected[t];
                squares += (y - mu) * (y - mu);
                means += mu;
                meanSquares += mu * mu;
            }
            Size[u] = squares > means ? Math.Max(0.5, meanSquares / (squares - means)) : double.PositiveInfinity;
        }
    }

    /// <summary>Village or township.</summary>
    public Level Level { get; }

    /// <summary>Grids of each unit.</summary>
    public int[][] Members { get; }

    /// <summary>Unit of each grid.</summary>
    public int[] UnitOf { get; }

    /// <summary>Observed counts, unit u on scored day d (day index RunStart + d) at [u][d].</summary>
    public double[][] Observed { get; }

    /// <summary>The baseline's expected counts, same layout.</summary>
    public double[][] Expected { get; }

    /// <summary>Negative-binomial size θ of each unit (+∞: Poisson).</summary>
    public double[] Size { get; }
}
