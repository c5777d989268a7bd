using System.Globalization;

namespace Dispatch.Simulation.History;

/// <summary>Extra reports planted in one grid on one day (a signal the early-warning detectors should find).</summary>
public sealed record Plant(string Grid, string Category, DateOnly Day, int Count);

/// <summary>What past to generate: how many days up to when, how busy, from which seed, with which planted signals.</summary>
public sealed record HistoryOptions
{
    /// <summary>A year of Hebi at ≈ 1,370 reports a day is the ≈ 500,000 incidents the assessment benchmark reads.</summary>
    public const double DefaultRate = 1370;

    public int Days { get; init; } = 365;
    public double RatePerDay { get; init; } = DefaultRate;
    public int Seed { get; init; } = 2026;
    /// <summary>The end of the past: cases stop where they stand at this moment.</summary>
    public DateTimeOffset Until { get; init; } = DateTimeOffset.UtcNow;
    public IReadOnlyList<Plant> Plants { get; init; } = [];

    public const string Usage = """
        用法 / usage: ./run.sh generate-history [--days 365] [--rate 1370] [--seed 2026] [--until 2026-12-01T00:00+08:00]
                                             [--plant GRID:CATEGORY:YYYY-MM-DD:COUNT]...
          写入过去 N 天的事件（终态、时间线、派单、督办、升级、回访），不推送实时事件。
          Writes the past N days of incidents in their final statuses, with timelines, assignments,
          督办, escalations and follow-ups, in bulk and without live events.
        """;

    public static (HistoryOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var o = new HistoryOptions();
        var plants = new List<Plant>();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : "";
            var arg = args[i];
            switch (arg)
            {
                case "--days" when int.TryParse(Next(), CultureInfo.InvariantCulture, out var days) && days is > 0 and <= 3660:
                    o = o with { Days = days }; break;
                case "--rate" when double.TryParse(Next(), CultureInfo.InvariantCulture, out var rate) && rate is > 0 and <= 1_000_000:
                    o = o with { RatePerDay = rate }; break;
                case "--seed" when int.TryParse(Next(), CultureInfo.InvariantCulture, out var seed):
                    o = o with { Seed = seed }; break;
                case "--until" when DateTimeOffset.TryParse(Next(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var until):
                    o = o with { Until = until }; break;
                case "--plant" when ParsePlant(Next()) is { } plant:
                    plants.Add(plant); break;
                case "--days" or "--rate" or "--seed" or "--until" or "--plant":
                    return (null, $"{arg} 的值无效 / invalid value for {arg}");
                default:
                    return (null, $"未知选项 / unknown option: {arg}");
            }
        }
        return (o with { Plants = plants }, null);
    }

    static Plant? ParsePlant(string text)
    {
        var parts = text.Split(':');
        return parts.Length == 4 && parts[0].Length == 15 && parts[0].All(char.IsAsciiDigit)
               && DateOnly.TryParseExact(parts[2], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
               && int.TryParse(parts[3], CultureInfo.InvariantCulture, out var count) && count is > 0 and <= 10_000
            ? new Plant(parts[0], parts[1], day, count)
            : null;
    }
}
