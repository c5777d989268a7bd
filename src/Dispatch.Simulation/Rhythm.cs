namespace Dispatch.Simulation;

/// <summary>
/// When Hebi reports, in Beijing time: quiet from midnight to six, a late-morning peak (offices and
/// markets open, grid workers on patrol), a dip at lunch, an afternoon plateau and an evening peak
/// (people home: neighbour and family disputes, public order); the weekend shifts the mix by
/// <see cref="Kind.Weekend"/>. Offices keep working hours (08:30–17:30, Monday to Friday).
/// </summary>
public static class Rhythm
{
    //                                 0     1     2     3     4     5     6     7     8     9     10    11
    static readonly double[] Raw = [0.30, 0.20, 0.14, 0.12, 0.12, 0.18, 0.35, 0.65, 1.10, 1.50, 1.70, 1.65,
    //                                 12    13    14    15    16    17    18    19    20    21    22    23
                                     1.10, 0.95, 1.30, 1.45, 1.45, 1.30, 1.25, 1.45, 1.50, 1.25, 0.85, 0.50];

    /// <summary>Relative intensity of each hour of the day; its mean over the day is 1.</summary>
    public static readonly double[] Hourly = Raw.Select(v => v * Raw.Length / Raw.Sum()).ToArray();
    public static readonly double PeakHour = Hourly.Max();

    static readonly TimeSpan OfficeOpens = new(8, 30, 0), OfficeCloses = new(17, 30, 0);

    static bool IsWeekend(DateTimeOffset t) => t.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    /// <summary>Reports a simulated minute of <paramref name="kind"/> at <paramref name="t"/> (Beijing time), for a city of <paramref name="perDay"/> a day.</summary>
    public static double PerMinute(Kind kind, DateTimeOffset t, double perDay) =>
        perDay / 1440 * kind.Share * Hourly[t.Hour] * (IsWeekend(t) ? kind.Weekend : t.DayOfWeek == DayOfWeek.Monday ? 1.05 : 1);

    /// <summary>An upper bound of <see cref="PerMinute"/> summed over the kinds, for thinning.</summary>
    public static double MaxPerMinute(double perDay) =>
        perDay / 1440 * PeakHour * Math.Max(1.05, CityMix.Kinds.Sum(k => k.Share * Math.Max(1, k.Weekend)));

    /// <summary><paramref name="t"/> if offices are open then, else the next opening.</summary>
    public static DateTimeOffset OfficeHours(DateTimeOffset t)
    {
        if (!IsWeekend(t) && t.TimeOfDay >= OfficeOpens && t.TimeOfDay < OfficeCloses) return t;
        var day = t.TimeOfDay < OfficeOpens ? t.Date : t.Date.AddDays(1);
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) day = day.AddDays(1);
        return new DateTimeOffset(day + OfficeOpens, t.Offset);
    }

    /// <summary><paramref name="t"/> if it is daytime (08:00–20:00, every day: return visits, field work), else the next morning.</summary>
    public static DateTimeOffset Daytime(DateTimeOffset t) =>
        t.Hour is >= 8 and < 20 ? t : new DateTimeOffset((t.Hour < 8 ? t.Date : t.Date.AddDays(1)).AddHours(8), t.Offset);
}
