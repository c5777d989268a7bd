using System.Globalization;

namespace Dispatch.Simulation;

/// <summary>How the simulated city runs: against which server, how busy, how fast, for how long.</summary>
public sealed record SimulationOptions
{
    /// <summary>A busy but ordinary day for 1.6 million people: between the 1,000 and 5,000 a day of the benchmarks.</summary>
    public const double DefaultRate = 1500;
    /// <summary>Where <c>./run.sh</c> serves (the server's <c>DispatchApp.DefaultUrl</c>; a test holds the two equal).</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";
    /// <summary>The demo accounts' password when <c>Demo:Password</c> is not set (the server's <c>SeedDemoAccounts.DefaultPassword</c>).</summary>
    public const string DefaultPassword = "Dispatch#2026";

    public Uri Url { get; init; } = new(DefaultUrl);
    /// <summary>Incidents a simulated day, citywide, before the day-of-week and hour-of-day rhythm.</summary>
    public double RatePerDay { get; init; } = DefaultRate;
    /// <summary>Simulated seconds per real second: 60 makes a simulated hour pass in a real minute.</summary>
    public double Speed { get; init; } = 1;
    /// <summary>Real time after which to stop; null runs until cancelled.</summary>
    public TimeSpan? Duration { get; init; }
    public int Seed { get; init; } = 2026;
    /// <summary>The simulated moment to start from; null starts from the real "now".</summary>
    public DateTimeOffset? Start { get; init; }
    public string Password { get; init; } = DefaultPassword;
    /// <summary>Real time between progress lines.</summary>
    public TimeSpan ProgressEvery { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Real time a district centre waits at least between two looks at its queues (1 simulated minute is less at high speed).</summary>
    public TimeSpan PollFloor { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Fill a district's empty board with a case in every status before the day starts (<see cref="Dispatch.Simulation.Handover"/>).</summary>
    public bool Handover { get; init; } = true;
    /// <summary>At most this many requests in flight: the simulator queues rather than swamp the server.</summary>
    public int MaxConcurrentRequests { get; init; } = 8;

    public const string Usage = """
        用法 / usage: simulate [--url URL] [--rate N] [--speed X] [--duration T] [--seed N] [--start T] [--password P]
          --url       服务地址 server address (default http://127.0.0.1:5080)
          --rate      每日事件数 incidents per simulated day, citywide (default 1500)
          --speed     时间倍速 time speed-up: 60 = one simulated hour per real minute (default 1)
          --duration  运行时长 stop after this real time, e.g. 00:05:00, 90s, 5m, 2h (default: until Ctrl+C)
          --seed      随机种子 random seed (default 2026)
          --start     模拟起始时刻 simulated start, e.g. 2026-12-01T08:00+08:00 (default: now)
          --password  演示账号密码 the demo accounts' password (default Dispatch#2026)
        """;

    /// <summary>The options of the <c>simulate</c> verb, or why they are wrong.</summary>
    public static (SimulationOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var o = new SimulationOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count) return (null, $"{name} 缺少取值 / needs a value");
            var value = args[++i];
            var ok = true;
            switch (name)
            {
                case "--url": ok = Uri.TryCreate(value, UriKind.Absolute, out var url); o = o with { Url = url! }; break;
                case "--rate": ok = TryPositive(value, out var rate); o = o with { RatePerDay = rate }; break;
                case "--speed": ok = TryPositive(value, out var speed); o = o with { Speed = speed }; break;
                case "--duration": ok = TryDuration(value, out var duration); o = o with { Duration = duration }; break;
                case "--seed": ok = int.TryParse(value, CultureInfo.InvariantCulture, out var seed); o = o with { Seed = seed }; break;
                case "--start": ok = DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var start); o = o with { Start = start }; break;
                case "--password": o = o with { Password = value }; break;
                default: return (null, $"未知选项 / unknown option {name}");
            }
            if (!ok) return (null, $"{name} 的取值无效 / invalid value: {value}");
        }
        return (o, null);
    }

    static bool TryPositive(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && value > 0;

    /// <summary>A TimeSpan (<c>00:05:00</c>) or a number with a unit (<c>90s</c>, <c>5m</c>, <c>2h</c>, <c>1d</c>).</summary>
    public static bool TryDuration(string text, out TimeSpan value)
    {
        value = default;
        if (text.Length > 1 && "smhd".Contains(text[^1]) && TryPositive(text[..^1], out var n))
        {
            value = text[^1] switch { 's' => TimeSpan.FromSeconds(n), 'm' => TimeSpan.FromMinutes(n), 'h' => TimeSpan.FromHours(n), _ => TimeSpan.FromDays(n) };
            return true;
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value > TimeSpan.Zero;
    }
}
