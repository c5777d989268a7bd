using Dispatch.EarlyWarning;
using Dispatch.EarlyWarning.Scan;

namespace Dispatch.Server.Alerts;

/// <summary>
/// NB CUSUM and EWMA on each village's residuals from its baseline (<see cref="RegionCharts"/>),
/// judged today against the day's Monte Carlo null (<see cref="DayModels.Charts"/>: α = 0.01, so
/// about one false alarm day per 100 days citywide per chart), as signals with their explanation.
/// </summary>
public static class ChartSignals
{
    public static IEnumerable<Signal> Find(DayModel day, Villages villages, Zones zones, Dictionary<string, string> names)
    {
        if (day.Villages is not { } baselines || day.CusumNull is null || day.EwmaNull is null) yield break; // history too short: no baseline yet
        var observed = baselines.Observed(day.Counts, villages.Grids);
        foreach (var (method, nul) in new[] { (ChartMethod.Cusum, day.CusumNull), (ChartMethod.Ewma, day.EwmaNull) })
            foreach (var a in RegionCharts.Judge(method, baselines, observed, nul, DayModels.Charts))
            {
                var code = villages.Codes[a.Region];
                var name = ScoreAlerts.Name(names, code);
                var days = a.To.DayNumber - a.From.DayNumber + 1;
                var ratio = a.Observed / a.Expected;
                var chart = method == ChartMethod.Cusum
                    ? $"负二项 CUSUM（对“均值翻倍”的似然比累积和）：累积和 {a.Score:0.00}"
                    : $"EWMA（皮尔逊残差的指数加权平均，λ = 0.2）：加权残差 {a.Score:0.00}";
                yield return new Signal(RegionCharts.Detector(method), code, [.. villages.Grids[a.Region].Select(g => zones.Grids[g].Code)],
                    a.PValue <= 1.0 / (a.Replicates + 1) && ratio >= 3 ? "orange" : "yellow",
                    $"{name}上报量持续高于基线",
                    $"{chart}，超过警戒值 {a.Threshold:0.00}。{name}自 {a.From:MM-dd} 至 {a.To:MM-dd}（{days} 天）上报 {a.Observed:0} 起，" +
                    $"按基线（前 {DayModels.Charts.TrainingDays} 天全市星期规律 × 本村占比）应为 {a.Expected:0.0} 起（{ratio:0.0} 倍）。" +
                    $"警戒值取全市无异常时各村当日最大值的 {1 - DayModels.Charts.Alpha:0%} 分位，蒙特卡洛 p = {a.PValue:0.000}（{a.Replicates} 次模拟）；" +
                    $"{Signal.Recurrence(a.PValue, a.Replicates)}。",
                    a.Observed, a.Expected, a.Score, a.PValue, a.From, a.To);
            }
    }
}
