using System.Globalization;
using CsvHelper;

namespace Dispatch.EarlyWarning;

/// <summary>A problem in <c>date,count</c> input, with the 1-based line where it was found.</summary>
public sealed class SeriesFormatException(int line, string problem) : FormatException($"line {line}: {problem}")
{
    /// <summary>1-based line of the input (0 when the problem is the input as a whole).</summary>
    public int Line { get; } = line;
}

/// <summary>A daily count series: one count per consecutive day from <see cref="Start"/>.</summary>
public sealed record DailySeries(DateOnly Start, double[] Counts)
{
    /// <summary>The date of day index <paramref name="day"/>.</summary>
    public DateOnly DateOf(int day) => Start.AddDays(day);

    /// <summary>
    /// Reads <c>date,count</c> rows: ISO dates (yyyy-MM-dd), one row per day, oldest first, no gaps
    /// (a day without incidents is a row with 0); counts are non-negative numbers. An optional first
    /// row <c>date,count</c> is a header. Blank lines are skipped; fields may be quoted and padded.
    /// </summary>
    /// <exception cref="SeriesFormatException">The first bad row, with its line number and what is wrong.</exception>
    public static DailySeries Read(TextReader csv)
    {
        var options = new CsvReaderOptions { HasHeader = false, TrackLineNumbers = true, TrimWhitespace = true, MalformedData = CsvMalformedDataHandling.Throw };
        using var reader = CsvReader.Create(csv, options, leaveOpen: true);
        var counts = new List<double>();
        DateOnly start = default, previous = default;
        try
        {
            while (reader.Read())
            {
                var line = (int)reader.LineNumber;
                if (counts.Count == 0 && IsHeader(reader)) continue;
                if (reader.FieldCount != 2)
                    throw new SeriesFormatException(line, $"expected 2 fields (date,count), found {reader.FieldCount}: '{reader.RawRecord.ToString().TrimEnd('\r', '\n')}'.");
                var date = ParseDate(reader.GetString(0), line);
                var count = ParseCount(reader.GetString(1), line);
                if (counts.Count == 0) start = date;
                else if (date != previous.AddDays(1)) throw OutOfSequence(date, previous, line);
                counts.Add(count);
                previous = date;
            }
        }
        catch (CsvFormatException e)
        {
            throw new SeriesFormatException((int)e.LineNumber, $"malformed CSV: {e.Message}");
        }
        if (counts.Count == 0) throw new SeriesFormatException(0, "the input has no date,count rows.");
        return new DailySeries(start, [.. counts]);
    }

    static bool IsHeader(CsvReader reader) =>
        reader.FieldCount == 2
        && string.Equals(reader.GetString(0), "date", StringComparison.OrdinalIgnoreCase)
        && string.Equals(reader.GetString(1), "count", StringComparison.OrdinalIgnoreCase);

    static DateOnly ParseDate(string text, int line) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new SeriesFormatException(line, $"'{text}' is not an ISO date (yyyy-MM-dd); a header row, if any, must be 'date,count'.");

    static double ParseCount(string text, int line) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var count) && double.IsFinite(count)
            ? count
            : throw new SeriesFormatException(line, $"count '{text}' is not a non-negative number.");

    static SeriesFormatException OutOfSequence(DateOnly date, DateOnly previous, int line)
    {
        var gap = date.DayNumber - previous.DayNumber;
        return new SeriesFormatException(line, gap > 1
            ? $"date {date:yyyy-MM-dd} leaves out {gap - 1} day(s) after {previous:yyyy-MM-dd}; the series needs one row per day (0 for a day without incidents)."
            : $"date {date:yyyy-MM-dd} does not follow {previous:yyyy-MM-dd}; rows must run one per day, oldest first, each date once.");
    }
}
