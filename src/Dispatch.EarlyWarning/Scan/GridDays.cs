namespace Dispatch.EarlyWarning.Scan;

/// <summary>
/// One value per grid and day (a count of incidents, or an expected count): grid g in the order of
/// <see cref="Zones.Grids"/>, day 0 = <see cref="Start"/>, the last day = <see cref="End"/>, the day
/// a prospective scan judges. Stored grid-major, so a grid's days are contiguous.
/// </summary>
public sealed class GridDays
{
    /// <summary>All values 0.</summary>
    public GridDays(DateOnly start, int grids, int days) : this(start, grids, days, new double[checked(grids * days)]) { }

    /// <summary>Wraps <paramref name="values"/> (not copied): value (g, d) is <c>values[g·days + d]</c>.</summary>
    public GridDays(DateOnly start, int grids, int days, double[] values)
    {
        if (grids < 1 || days < 1) throw new ArgumentOutOfRangeException(nameof(days), $"{grids} grids × {days} days: both must be at least 1.");
        if (values.Length != grids * days) throw new ArgumentException($"{values.Length} values for {grids} grids × {days} days.", nameof(values));
        (Start, Grids, Days, Values) = (start, grids, days, values);
    }

    /// <summary>The date of day 0.</summary>
    public DateOnly Start { get; }

    /// <summary>Number of grids (rows).</summary>
    public int Grids { get; }

    /// <summary>Number of consecutive days (columns).</summary>
    public int Days { get; }

    /// <summary>The last day.</summary>
    public DateOnly End => Start.AddDays(Days - 1);

    /// <summary>The date of day index <paramref name="day"/>.</summary>
    public DateOnly DateOf(int day) => Start.AddDays(day);

    /// <summary>Value of grid <paramref name="grid"/> on day index <paramref name="day"/>.</summary>
    public double this[int grid, int day]
    {
        get => Values[Index(grid, day)];
        set => Values[Index(grid, day)] = value;
    }

    internal double[] Values { get; }

    /// <summary>A copy with values of its own.</summary>
    public GridDays Copy() => new(Start, Grids, Days, (double[])Values.Clone());

    /// <summary>A copy of the first <paramref name="days"/> days.</summary>
    public GridDays Head(int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(days);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, Days);
        var head = new GridDays(Start, Grids, days);
        for (var g = 0; g < Grids; g++)
            for (var d = 0; d < days; d++) head[g, d] = this[g, d];
        return head;
    }

    /// <summary>
    /// Sums over the trailing windows: result[g·stride + w] = Σ of grid g over the last w + 1 days,
    /// w &lt; window; lanes window … stride − 1 are <paramref name="pad"/>. Every cylinder of a
    /// prospective scan ends on the last day, so these W numbers per grid are all a scan ever reads.
    /// </summary>
    internal double[] TrailingSums(int window, int stride, double pad)
    {
        var sums = new double[Grids * stride];
        for (var g = 0; g < Grids; g++)
        {
            var sum = 0.0;
            for (var w = 0; w < window; w++)
                sums[g * stride + w] = sum += Values[g * Days + Days - 1 - w];
            for (var w = window; w < stride; w++) sums[g * stride + w] = pad;
        }
        return sums;
    }

    int Index(int grid, int day)
    {
        if ((uint)grid >= (uint)Grids || (uint)day >= (uint)Days)
            throw new ArgumentOutOfRangeException(nameof(day), $"({grid}, {day}) is outside {Grids} grids × {Days} days.");
        return grid * Days + day;
    }
}
