namespace Dispatch.LoadTest;

public sealed record Options(string Command, Uri Url, string User, string Password, double Rate, TimeSpan Duration, bool Ramp, string? Db,
    int Clients, double StalledPercent, int? ServerPid)
{
    public static Options Parse(string[] args)
    {
        string Value(string name, string fallback) =>
            args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        return new Options(
            args.FirstOrDefault(a => !a.StartsWith("--")) ?? "",
            new Uri(Value("--url", "http://127.0.0.1:5080")),
            Value("--user", "city.dispatcher"),
            Value("--password", "Dispatch#2026"),
            double.Parse(Value("--rate", "200")),
            TimeSpan.FromSeconds(double.Parse(Value("--duration", "30"))),
            args.Contains("--ramp"),
            args.SkipWhile(a => a != "--db").Skip(1).FirstOrDefault(),
            int.Parse(Value("--clients", "2000")),
            double.Parse(Value("--stalled", "0")),
            int.TryParse(Value("--server-pid", ""), out var pid) ? pid : null);
    }
}
