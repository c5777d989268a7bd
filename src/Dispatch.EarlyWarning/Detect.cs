using CsvHelper;

namespace Dispatch.EarlyWarning;

/// <summary>
/// The <c>detect</c> command: a <c>date,count</c> series in, one
/// <c>date,count,score,threshold,alarm</c> row out per day the method can judge.
/// </summary>
public static class Detect
{
    /// <summary>The method names <see cref="Run"/> accepts.</summary>
    public static IReadOnlyList<string> Methods { get; } = ["ears-c1", "ears-c2", "ears-c3", "cusum"];

    /// <summary>Longest training window of the <c>cusum</c> baseline: two years, as in docs/benchmarks.md.</summary>
    public const int MaxTrainingDays = 730;

    /// <summary>Shortest training window of the <c>cusum</c> baseline: four weeks.</summary>
    public const int MinTrainingDays = 28;

    /// <summary>
    /// Reads the series (see <see cref="DailySeries.Read"/>), judges it and writes a header and one
    /// row per judged day; score and threshold are written as the shortest round-trip text
    /// (<c>Infinity</c> / <c>-Infinity</c> where unbounded), alarm as 0 or 1.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown method.</exception>
    /// <exception cref="SeriesFormatException">Bad input, with its line number.</exception>
    public static void Run(string method, TextReader csvDateCount, TextWriter output)
    {
        Check(method);
        var series = DailySeries.Read(csvDateCount);
        Write(series, Judge(method, series), output);
    }

    /// <summary>
    /// Judges a series. EARS methods use R's defaults (7-day baseline, alpha 0.001). <c>cusum</c> is
    /// the negative-binomial likelihood-ratio CUSUM (κ = 2, h = 5) against a <see cref="BaselineModel"/>
    /// fitted to the first half of the series (at least 28 days, at most 730; terms by
    /// <see cref="BaselineModel.TermsFor"/>) and judges the days after that training window.
    /// </summary>
    public static IReadOnlyList<Judgement> Judge(string method, DailySeries series)
    {
        Check(method);
        return method switch
        {
            "ears-c1" => Ears.C1(series.Counts),
            "ears-c2" => Ears.C2(series.Counts),
            "ears-c3" => Ears.C3(series.Counts),
            _ => TrainedCusum(series),
        };
    }

    /// <summary>Days the <c>cusum</c> method trains on for a series of <paramref name="days"/> days.</summary>
    public static int TrainingDays(int days) => Math.Clamp(days / 2, MinTrainingDays, MaxTrainingDays);

    static Judgement[] TrainedCusum(DailySeries series)
    {
        var training = TrainingDays(series.Counts.Length);
        if (series.Counts.Length <= training) return [];
        var model = BaselineModel.Fit(series.Start, series.Counts.AsSpan(0, training), BaselineModel.TermsFor(training));
        var judged = series.Counts.AsSpan(training);
        var expected = model.Expected(series.DateOf(training), judged.Length);
        return [.. Cusum.Run(judged, expected, model.Size, CusumOptions.LikelihoodRatio).Select(j => j with { Day = j.Day + training })];
    }

    static void Write(DailySeries series, IReadOnlyList<Judgement> judged, TextWriter output)
    {
        using var csv = CsvWriter.Create(output, new CsvWriterOptions { NewLine = "\n" }, leaveOpen: true);
        csv.WriteHeader(["date", "count", "score", "threshold", "alarm"]);
        foreach (var j in judged)
        {
            csv.WriteField(series.DateOf(j.Day));
            csv.WriteField(j.Count);
            csv.WriteField(j.Score);
            csv.WriteField(j.Threshold);
            csv.WriteField(j.Alarm ? 1 : 0);
            csv.EndRecord();
        }
        csv.Flush();
    }

    static void Check(string method)
    {
        if (!Methods.Contains(method))
            throw new ArgumentException($"Unknown detection method '{method}'; use one of {string.Join(", ", Methods)}.", nameof(method));
    }
}
