namespace Dispatch.Server.Cli;

/// <summary>A verb of the command line (docs/api.md): <c>./run.sh &lt;verb&gt; [args]</c>.</summary>
public sealed record Command(string Name, string Summary, Func<string[], Task<int>> RunAsync);

public static class Commands
{
    static readonly Command[] All =
    [
        new("migrate", "应用数据库迁移并载入区划与网格后退出 / apply migrations and seed the geography, then exit", MigrateCommand.RunAsync),
        new("simulate", "模拟城市：通过公开接口上报、调度、处置事件 / drive the API as a living city (simulate --help)", Dispatch.Simulation.SimulateCommand.RunAsync),
        new("generate-history", "写入一座城市的过去：终态事件与时间线、督办、回访 / write a city's past in bulk (generate-history --help)", GenerateHistoryCommand.RunAsync),
        new("replay-early-warning", "按天回放真实的预警评分，统计预警日数 / replay each day of the past through the real scoring run (replay-early-warning --help)", ReplayCommand.RunAsync),
        new("evaluate-early-warning", "在 4,122 个网格上评测预警检测器 / benchmark the detectors (evaluate-early-warning --help)", EvaluateCommand.RunAsync),
        new("detect", "按 EARS/CUSUM 判断一条日计数序列 / judge a date,count series (detect --method ears-c1 --input f.csv)", DetectCommand.RunAsync),
        new("help", "列出命令 / list the commands", _ => Task.FromResult(Help())),
    ];

    /// <summary>The verb named by the first argument; options (<c>--urls</c>…) mean "serve".</summary>
    public static Command? Find(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-')) return null;
        return All.FirstOrDefault(c => c.Name == args[0])
               ?? new Command(args[0], "", _ => Task.FromResult(Unknown(args[0])));
    }

    static int Help()
    {
        Console.WriteLine("Dispatch — 鹤壁市域社会治理 指挥调度平台\n\n用法 / usage: ./run.sh [<command> [args]]   (no command: serve)\n");
        foreach (var c in All) Console.WriteLine($"  {c.Name,-16} {c.Summary}");
        return 0;
    }

    static int Unknown(string name)
    {
        Console.Error.WriteLine($"未知命令 / unknown command: {name}\n");
        Help();
        return 2;
    }
}
