using Dispatch.EarlyWarning;

namespace Dispatch.Server.Cli;

/// <summary>
/// <c>detect --method ears-c1|ears-c2|ears-c3|cusum --input series.csv</c>: reads <c>date,count</c>
/// rows (or standard input with <c>--input -</c>) and prints <c>date,count,score,threshold,alarm</c>
/// for the days the method can judge (docs/api.md).
/// </summary>
public static class DetectCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var method = Option(args, "--method");
        var input = Option(args, "--input");
        if (method is null || input is null || !Detect.Methods.Contains(method))
        {
            await Console.Error.WriteLineAsync(
                $"用法 / usage: detect --method {string.Join("|", Detect.Methods)} --input series.csv   (date,count rows; - for stdin)");
            return 2;
        }
        try
        {
            using var reader = input == "-" ? Console.In : new StreamReader(input);
            Detect.Run(method, reader, Console.Out);
            return 0;
        }
        catch (Exception e) when (e is SeriesFormatException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"错误 / error: {e.Message}");
            return 1;
        }
    }

    static string? Option(string[] args, string name) =>
        args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
}
