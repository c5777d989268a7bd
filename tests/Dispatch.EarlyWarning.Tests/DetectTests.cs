using System.Globalization;

namespace Dispatch.EarlyWarning.Tests;

public class DetectTests
{
    static readonly DateOnly Start = new(2025, 3, 1);

    static string Csv(IEnumerable<double> counts, bool header = true, string newline = "\n") =>
        (header ? "date,count" + newline : "")
        + string.Concat(counts.Select((c, i) => $"{Start.AddDays(i):yyyy-MM-dd},{c.ToString(CultureInfo.InvariantCulture)}{newline}"));

    static string[] Run(string method, string input)
    {
        var output = new StringWriter();
        Detect.Run(method, new StringReader(input), output);
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Theory]
    [InlineData("ears-c1", 7)]
    [InlineData("ears-c2", 9)]
    [InlineData("ears-c3", 11)]
    public void It_writes_a_row_for_each_day_the_method_judges(string method, int firstDay)
    {
        var counts = Series.Counts(new Random(71), 50, 6);
        counts[40] = 40;
        var rows = Run(method, Csv(counts));

        Assert.Equal("date,count,score,threshold,alarm", rows[0]);
        Assert.Equal(50 - firstDay, rows.Length - 1);
        var judged = method switch { "ears-c1" => Ears.C1(counts), "ears-c2" => Ears.C2(counts), _ => Ears.C3(counts) };
        for (var i = 0; i < judged.Length; i++)
        {
            var f = rows[i + 1].Split(',');
            Assert.Equal(Start.AddDays(judged[i].Day).ToString("yyyy-MM-dd"), f[0]);
            Assert.Equal(judged[i].Count, double.Parse(f[1], CultureInfo.InvariantCulture));
            Assert.Equal(judged[i].Score, double.Parse(f[2], CultureInfo.InvariantCulture));
            Assert.Equal(judged[i].Threshold, double.Parse(f[3], CultureInfo.InvariantCulture));
            Assert.Equal(judged[i].Alarm ? "1" : "0", f[4]);
        }
        Assert.Equal("1", rows[40 - firstDay + 1].Split(',')[4]);
    }

    [Fact]
    public void The_header_is_optional_and_line_endings_blank_lines_and_quotes_do_not_matter()
    {
        var counts = Series.Counts(new Random(72), 30, 3);
        var plain = Run("ears-c2", Csv(counts));

        Assert.Equal(plain, Run("ears-c2", Csv(counts, header: false)));
        Assert.Equal(plain, Run("ears-c2", "Date,Count\r\n\r\n" + Csv(counts, header: false, newline: "\r\n")));
        Assert.Equal(plain, Run("ears-c2", Csv(counts).Replace("2025-03-05,", "\"2025-03-05\" , ")));
    }

    [Fact]
    public void Unbounded_values_are_written_as_Infinity()
    {
        double[] counts = [.. Enumerable.Repeat(3.0, 12), 4, 3];
        var rows = Run("ears-c3", Csv(counts));

        Assert.Equal(["2025-03-12,3,0,3,0", "2025-03-13,4,Infinity,3,1", "2025-03-14,3,Infinity,-Infinity,1"], rows[1..]);
    }

    [Fact]
    public void Cusum_trains_on_the_first_half_and_alarms_on_an_outbreak_after_it()
    {
        var counts = Series.Counts(new Random(73), 200, 8);
        for (var t = 170; t < 175; t++) counts[t] = 30;
        var rows = Run("cusum", Csv(counts));

        Assert.Equal(100, Detect.TrainingDays(200));
        Assert.Equal(100, rows.Length - 1);
        Assert.StartsWith(Start.AddDays(100).ToString("yyyy-MM-dd"), rows[1]);
        Assert.Equal("1", rows[170 - 100 + 1].Split(',')[4]);
        Assert.Empty(Run("cusum", Csv(counts.Take(28))).Skip(1));
    }

    [Theory]
    [InlineData("2025-03-01,3\n2025-03-02,x\n", 2, "count 'x' is not a non-negative number")]
    [InlineData("2025-03-01,3\n2025-03-02,-1\n", 2, "count '-1' is not a non-negative number")]
    [InlineData("2025-03-01,3\n2025-03-02,NaN\n", 2, "count 'NaN'")]
    [InlineData("2025-03-01,3\n2025/03/02,4\n", 2, "'2025/03/02' is not an ISO date")]
    [InlineData("2025-03-01,3\n2025-03-04,4\n", 2, "leaves out 2 day(s) after 2025-03-01")]
    [InlineData("2025-03-01,3\n2025-03-01,4\n", 2, "does not follow 2025-03-01")]
    [InlineData("2025-03-01,3,7\n", 1, "expected 2 fields (date,count), found 3")]
    [InlineData("2025-03-01\n", 1, "expected 2 fields (date,count), found 1")]
    [InlineData("day,incidents\n2025-03-01,3\n", 1, "a header row, if any, must be 'date,count'")]
    [InlineData("date,count\n\n2025-03-01,3\n2025-03-02,3.5.1\n", 4, "count '3.5.1'")]
    [InlineData("date,count\n2025-03-01,3\n2025-03-02,\"4\"x\"\n", 3, "malformed CSV")]
    [InlineData("", 0, "no date,count rows")]
    [InlineData("date,count\n", 0, "no date,count rows")]
    public void Bad_input_names_its_line_and_what_is_wrong(string input, int line, string problem)
    {
        var e = Assert.Throws<SeriesFormatException>(() => Run("ears-c1", input));

        Assert.Equal(line, e.Line);
        Assert.StartsWith($"line {line}: ", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void An_unknown_method_is_refused_with_the_list_of_methods()
    {
        var e = Assert.Throws<ArgumentException>(() => Run("farrington", Csv([1, 2, 3])));
        Assert.Contains("ears-c1, ears-c2, ears-c3, cusum", e.Message);
    }
}
