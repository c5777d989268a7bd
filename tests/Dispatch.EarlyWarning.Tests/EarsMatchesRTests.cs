using System.Globalization;
using Xunit.Abstractions;

namespace Dispatch.EarlyWarning.Tests;

/// <summary>
/// EARS C1 and C2 give exactly R's alarms (surveillance::earsC, baseline 7, alpha 0.001) on every
/// day R judges, and R's upperbound as our threshold to 1e-9 relative.
/// </summary>
public class EarsMatchesRTests(ITestOutputHelper output)
{
    [Fact]
    public void C1_and_C2_reproduce_R_earsC_on_every_judged_day()
    {
        var series = ReferenceSeries();
        var folder = Directory.CreateTempSubdirectory("earsc-");
        try
        {
            foreach (var (name, counts) in series)
                File.WriteAllLines(Path.Combine(folder.FullName, name + ".txt"), counts.Select(c => c.ToString("R", CultureInfo.InvariantCulture)));
            var (version, z, rows) = RunR(folder.FullName);
            Assert.Equal(z, Ears.Z(0.001));

            var (days, alarms, flat, ties) = (0, 0, 0, 0);
            foreach (var (name, counts) in series)
                foreach (var method in new[] { "C1", "C2" })
                {
                    var ours = method == "C1" ? Ears.C1(counts) : Ears.C2(counts);
                    var theirs = rows.Where(r => r.Series == name + ".txt" && r.Method == method).ToList();
                    Assert.True(theirs.Count == ours.Length, $"{name} {method}: R judged {theirs.Count} days, we judged {ours.Length}");
                    for (var i = 0; i < ours.Length; i++)
                    {
                        var (o, r) = (ours[i], theirs[i]);
                        var where = $"{name} {method} day {r.Day} (count {o.Count}, R upperbound {r.UpperBound:R}, ours {o.Threshold:R})";
                        Assert.True(o.Day + 1 == r.Day, $"{where}: R judges day {r.Day}, we judge {o.Day + 1}");
                        Assert.True(o.Alarm == r.Alarm, $"{where}: R alarm {r.Alarm}, ours {o.Alarm}");
                        Assert.True(Math.Abs(o.Threshold - r.UpperBound) <= 1e-9 * Math.Max(Math.Abs(r.UpperBound), double.Epsilon), $"{where}: thresholds differ");
                        days++;
                        if (o.Alarm) alarms++;
                        if (!double.IsFinite(o.Score) || (o.Score == 0 && o.Count == o.Threshold)) flat++;
                        if (o.Count == o.Threshold) ties++;
                    }
                }
            output.WriteLine($"surveillance {version}: {series.Count} series, {days} judged days (C1 + C2), {alarms} alarms, {flat} days with sd = 0, {ties} counts equal to the threshold — all as R.");
            // The comparison must have met the edge cases, not only quiet days.
            Assert.True(alarms >= 30 && flat >= 30 && ties >= 5, $"too few edge cases: {alarms} alarms, {flat} sd = 0 days, {ties} ties");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// 36 seeded series of 30–120 days: Poisson and negative-binomial backgrounds with means from
    /// 0.1 to 2,000, some with injected spikes, some with constant stretches (sd = 0, and counts
    /// equal to that constant afterwards).
    /// </summary>
    static List<(string Name, double[] Counts)> ReferenceSeries()
    {
        var rng = new Random(20261128);
        var backgrounds = new (double Mean, double Size)[]
        {
            (0.1, double.PositiveInfinity), (0.4, double.PositiveInfinity), (1, double.PositiveInfinity), (3, double.PositiveInfinity),
            (12, double.PositiveInfinity), (60, double.PositiveInfinity), (400, double.PositiveInfinity), (2000, double.PositiveInfinity),
            (0.5, 0.3), (2, 1), (8, 2), (30, 5), (150, 10),
        };
        var list = new List<(string, double[])>();
        for (var k = 0; list.Count < 36; k++)
        {
            var (mean, size) = backgrounds[k % backgrounds.Length];
            var counts = Series.Counts(rng, rng.Next(30, 121), mean, size);
            var kind = (k / backgrounds.Length) switch { 0 => "plain", 1 => "spikes", _ => "flat" };
            if (kind == "spikes")
                for (var s = 0; s < 4; s++)
                    counts[rng.Next(counts.Length)] += Math.Ceiling(mean + (3 + 3 * rng.NextDouble()) * Math.Sqrt(mean + 1));
            if (kind == "flat")
            {
                // A constant run long enough to fill a C2 window, then the constant again, then one more.
                var value = Math.Round(mean * rng.NextDouble());
                var at = rng.Next(0, counts.Length - 16);
                for (var i = at; i < at + 12; i++) counts[i] = value;
                counts[at + 12] = value + 1;
                counts[at + 13] = value;
            }
            list.Add(($"{k:D2}-{kind}-mean{mean}-size{size}", counts));
        }
        return list;
    }

    sealed record RRow(string Series, string Method, int Day, bool Alarm, double UpperBound);

    static (string Version, double Z, List<RRow> Rows) RunR(string folder)
    {
        var lines = RScript.Run("earsc_reference.R", folder).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var version = lines[0]["# surveillance ".Length..];
        var z = double.Parse(lines[1]["# qnorm ".Length..], CultureInfo.InvariantCulture);
        var rows = lines.Skip(3).Select(line => line.Split(',')).Select(f => new RRow(
            f[0], f[1], int.Parse(f[2], CultureInfo.InvariantCulture), f[3] == "1", double.Parse(f[4], CultureInfo.InvariantCulture))).ToList();
        return (version, z, rows);
    }
}
