using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Dispatch.EarlyWarning.Evaluation;
using Dispatch.EarlyWarning.Scan;
using Dispatch.Geography;
using Dispatch.Server.Regions;
using Spectre.Console;

namespace Dispatch.Server.Cli;

/// <summary>
/// <c>evaluate-early-warning [--quick|--full] [--rate 1000[,200,5000]] [--replicates N] [--seed N]
/// [--nb θ] [--no-compute] [--out FILE.md]</c>: the benchmark protocol of docs/benchmarks.md on the real
/// 4,122-grid nesting, generated in memory (no database, no server). Markdown on standard output
/// (and to <c>--out</c>), progress on standard error.
/// </summary>
public static class EvaluateCommand
{
    const string Usage =
        "用法 / usage: evaluate-early-warning [--quick | --full] [--rate 1000[,200,5000]] [--replicates N] [--seed N] [--nb θ] [--no-compute] [--out FILE.md]\n" +
        "  --quick   默认：10 个代表性场景，每个 30 次，日均 1,000 起 / default: 10 scenarios × 30 replicates at 1,000 a day (a few minutes)\n" +
        "  --full    全因子 288 + 2 个场景 × 50 次 × 三种日均量 / full factorial (290 scenarios), 50 replicates, 200/1,000/5,000 a day (many hours on 2 cores)";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h")) { Console.WriteLine(Usage); return 0; }
        var full = args.Contains("--full");
        try
        {
            var rates = (Option(args, "--rate") ?? (full ? "200,1000,5000" : "1000")).Split(',').Select(Number).ToArray();
            var replicates = Option(args, "--replicates") is { } r ? (int)Number(r) : full ? 50 : 30;
            var seed = Option(args, "--seed") is { } s ? (int)Number(s) : 20261128;
            var size = Option(args, "--nb") is { } nb ? Number(nb) : double.PositiveInfinity;
            var output = Option(args, "--out");
            if (replicates < 1 || rates.Any(x => !(x > 0))) throw new FormatException("rates and replicates must be positive");

            var clock = Stopwatch.StartNew();
            var err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            err.MarkupLine("[bold]生成鹤壁网格 generating Hebi's 4,122 grids[/] (GeographyGenerator, in memory)…");
            var grids = Grids();
            err.MarkupLine($"  {grids.Count} grids in {clock.Elapsed.TotalSeconds:0.0} s");

            var md = new StringBuilder();
            md.AppendLine($"Command: `./run.sh evaluate-early-warning {string.Join(' ', args)}` — {(full ? "full" : "quick")} protocol, rates {string.Join(", ", rates)} a day, {replicates} replicates, seed {seed}.");
            md.AppendLine();
            md.AppendLine($"Machine: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}.");
            md.AppendLine();

            if (!args.Contains("--no-compute"))
            {
                err.MarkupLine("[bold]计算性能 compute figures[/]: one scoring pass and the 999-replicate null…");
                var background = Background.Generate(grids.Count, new BackgroundOptions(PerDay: rates[0], Size: size), new Random(seed));
                var figures = ComputeBenchmark.Measure(grids, background);
                md.AppendLine(Compute(figures, rates[0]));
            }

            var scenarios = full ? EvaluationOptions.Full : EvaluationOptions.Quick;
            foreach (var rate in rates)
            {
                var options = new EvaluationOptions(new BackgroundOptions(PerDay: rate, Size: size), scenarios, replicates, seed);
                EvaluationResult? result = null;
                err.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask($"评估 evaluating at {rate:0} a day", maxValue: 1);
                        result = Evaluator.Run(grids, options, new SyncProgress(p =>
                        {
                            task.Description = Markup.Escape($"{rate:0}/天 · {p.Stage}");
                            task.Value = p.Total == 0 ? 0 : (double)p.Done / p.Total;
                        }));
                        task.Value = 1;
                    });
                md.AppendLine(Dispatch.EarlyWarning.Evaluation.Report.Markdown(result!));
            }
            md.AppendLine($"Run time: {clock.Elapsed.TotalSeconds:0} s wall; process CPU {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:0} s; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MB (geography generation included).");

            Console.Write(md.ToString());
            if (output is not null) await File.WriteAllTextAsync(output, md.ToString());
            return 0;
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"错误 / error: {e.Message}\n{Usage}");
            return 2;
        }
    }

    static string Compute(ComputeFigures f, double rate) =>
        $"""
        #### 计算 Compute (production settings, {rate:0} a day, 4,122 grids)

        | 项目 measure | 测得 measured | 目标 target | 达标 met |
        |---|---:|---:|---|
        | one scoring pass: EBP score (10-grid zones, 7-day windows, cached null) + EARS C2 on every village and township series, median of {f.Runs}, one thread | {f.ScoringSeconds * 1000:0} ms | ≤ 1 s | {(f.ScoringSeconds <= 1 ? "yes" : "no")} |
        | memory of that pass: inputs (63 days × 4,122 grids, zones) + bytes allocated by the pass | {f.InputBytes / 1048576.0:0.0} + {f.ScoringAllocatedBytes / 1048576.0:0.0} MB | ≤ 200 MB | {((f.InputBytes + f.ScoringAllocatedBytes) / 1048576.0 <= 200 ? "yes" : "no")} |
        | 999-replicate EBP null, 10-grid zones, W = 7, {Environment.ProcessorCount} threads | {f.NullSeconds:0.00} s | ≤ 10 s | {(f.NullSeconds <= 10 ? "yes" : "no")} |
        | 999-replicate EBP null, 64-grid zones (the evaluation's), W = 7 | {f.NullSeconds64:0.00} s | ≤ 10 s | {(f.NullSeconds64 <= 10 ? "yes" : "no")} |

        """;

    static List<GridPoint> Grids()
    {
        var (divisions, sketch) = SeedGeography.ReadEmbeddedData();
        return [.. GeographyGenerator.Generate(divisions, sketch).Grids.Select(g => new GridPoint(g.Code, g.ServicePoint.X, g.ServicePoint.Y))];
    }

    static double Number(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : throw new FormatException($"not a number: {s}");

    static string? Option(string[] args, string name) =>
        args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    // Reports synchronously on the evaluating thread (Progress<T> would post to the thread pool).
    sealed class SyncProgress(Action<EvaluationProgress> report) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => report(value);
    }
}
