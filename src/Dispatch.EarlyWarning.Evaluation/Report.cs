using System.Globalization;
using System.Text;

namespace Dispatch.EarlyWarning.Evaluation;

/// <summary>The evaluation's results as Markdown tables (Chinese labels first).</summary>
public static class Report
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>All tables of one run: calibration, then matrices of PoD and days, then the long table at 1 per 30 days.</summary>
    public static string Markdown(EvaluationResult r)
    {
        var sb = new StringBuilder();
        var o = r.Options;
        sb.AppendLine(Invariant, $"### 背景 Background: {o.Background.PerDay:0} 起/天 a day citywide, {r.Grids} grids, {(double.IsFinite(o.Background.Size) ? $"NB θ = {o.Background.Size}" : "Poisson")}, {o.Replicates} replicates per scenario, seed {o.Seed}");
        sb.AppendLine();
        sb.AppendLine(Invariant, $"Zones: up to {o.ZoneSize} nearest grids; scan windows 1–{o.ScanWindow} days; STP study period {o.StudyDays} days. Citywide baseline model θ = {Fmt(r.BaselineSize, "0.#")}. Setup (background, zones, baseline) {r.SetupSeconds:0.0} s.");
        sb.AppendLine();
        sb.AppendLine("#### 校准 Calibration on the signal-free test year");
        sb.AppendLine();
        sb.AppendLine("| 检测器 detector | h (1/30 d) | h (1/100 d) | 报警日/年 alarm days/yr @1/30 | 报警/年 alarms/yr @1/30 | 报警/年 alarms/yr @1/100 | h (97 % per series) | 报警/年 alarms/yr @97 % | 一年评分 scoring a year (s) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var c in r.Calibration)
        {
            var perYear = 365.0 / c.ScoredDays;
            var fixedRule = c.IsCalibrated ? "" : " (fixed rule)";
            sb.AppendLine(Invariant, $"| {c.Detector}{fixedRule} | {(c.IsCalibrated ? Fmt(c.Thresholds[0], "0.00") : "—")} | {(c.IsCalibrated ? Fmt(c.Thresholds[1], "0.00") : "—")} | {c.AlarmDays[0] * perYear:0.#} | {c.Episodes[0] * perYear:0.#} | {c.Episodes[1] * perYear:0.#} | {Fmt(c.Thresholds[2], "0.00")} | {(c.Episodes[2] < 0 ? "—" : (c.Episodes[2] * perYear).ToString("0", Invariant))} | {c.Seconds:0.00} |");
        }
        sb.AppendLine();
        sb.AppendLine(Invariant, $"EBP scan thresholds as Monte Carlo p-values (one {o.NullReplicates}-replicate null, first test week's baselines, drawn in {r.EbpNullSeconds:0.0} s on all cores): 1/30 d → p = {r.EbpThresholdPValues[0]:0.000}, 1/100 d → p = {r.EbpThresholdPValues[1]:0.000}.");
        sb.AppendLine();

        var scenarios = r.Rows.Select(x => x.Scenario).Distinct().ToList();
        var detectors = r.Calibration.Select(c => c.Detector).ToList();
        Matrix(sb, "检出率 Probability of detection, 1 false alarm day / 30 days", r, scenarios, detectors, s => s.AtThreshold[0].Detection.ToString("0.00", Invariant));
        Matrix(sb, "平均检出天数 Mean days to detection (1 = first day; misses apart), 1 / 30 days", r, scenarios, detectors, s => Fmt(s.AtThreshold[0].MeanDays, "0.00"));
        Matrix(sb, "检出率 Probability of detection, 1 false alarm day / 100 days", r, scenarios, detectors, s => s.AtThreshold[1].Detection.ToString("0.00", Invariant));
        Matrix(sb, "检出率 Probability of detection at 97 % specificity per series (Hutwagner's setting; not citywide)", r, scenarios, detectors,
            s => double.IsNaN(r.Calibration.First(c => c.Detector == s.Detector).Thresholds[2]) ? "—" : s.AtThreshold[2].Detection.ToString("0.00", Invariant));

        sb.AppendLine("#### 明细 Every metric at 1 false alarm day / 30 days");
        sb.AppendLine();
        sb.AppendLine("| 场景 scenario | 检测器 detector | PoD | 首日 day 1 | ≤3 天 by day 3 | 平均天数 mean days | 中位 median | 精确率 precision | 召回率 recall | PPV | 报警/年 alarms/yr | CPU s |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in r.Rows)
        {
            var s = row.AtThreshold[0];
            var c = r.Calibration.First(c => c.Detector == row.Detector);
            var episodes = c.Episodes[0] * 365.0 / c.ScoredDays;
            sb.AppendLine(Invariant, $"| {row.Scenario.Label} | {row.Detector} | {s.Detection:0.00} | {s.ByDay1:0.00} | {s.ByDay3:0.00} | {Fmt(s.MeanDays, "0.00")} | {Fmt(s.MedianDays, "0.#")} | {Fmt(s.Precision, "0.00")} | {Fmt(s.Recall, "0.00")} | {Fmt(s.Ppv, "0.00")} | {episodes:0.#} | {row.Seconds:0.00} |");
        }
        sb.AppendLine();
        return sb.ToString();
    }

    static void Matrix(StringBuilder sb, string title, EvaluationResult r, List<Scenario> scenarios, List<string> detectors, Func<Row, string> cell)
    {
        sb.AppendLine(Invariant, $"#### {title}");
        sb.AppendLine();
        sb.AppendLine("| 检测器 detector | " + string.Join(" | ", scenarios.Select(s => s.Label)) + " |");
        sb.AppendLine("|---|" + string.Concat(scenarios.Select(_ => "---:|")));
        foreach (var d in detectors)
            sb.AppendLine($"| {d} | " + string.Join(" | ", scenarios.Select(s => r.Rows.FirstOrDefault(x => x.Detector == d && x.Scenario == s) is { } row ? cell(row) : "")) + " |");
        sb.AppendLine();
    }

    static string Fmt(double? x, string format) =>
        x is null ? "—" : double.IsPositiveInfinity(x.Value) ? "∞" : double.IsNegativeInfinity(x.Value) ? "−∞" : x.Value.ToString(format, Invariant);
}
