namespace Dispatch.Server.Alerts;

/// <summary>
/// What may happen to an alert: a supervisor acknowledges it (已确认), turns it into a task — an
/// incident dispatched like any other (已派发任务) — and closes it (已关闭), saying whether it was a
/// true alarm, a false one or unsure (the detectors' precision is counted from that); a false
/// alarm may be closed at once. Closed is final: a signal that persists raises a new alert. An open
/// alert may be snoozed: it stays where it is, silent for a while.
/// </summary>
public static class AlertLifecycle
{
    public static readonly string[] Statuses = ["raised", "acknowledged", "tasked", "closed"];
    public static readonly string[] Actions = ["acknowledge", "task", "close", "snooze"];

    /// <summary>What closing says about the alarm: it was real, it was not, or nobody can tell.</summary>
    public static readonly string[] Dispositions = ["true", "false", "unsure"];

    /// <summary>A snooze lasts at least an hour and at most a week: longer is closing it.</summary>
    public const int MaxSnoozeHours = 168;

    /// <summary>The status after <paramref name="action"/>, or null when it may not follow <paramref name="status"/>.</summary>
    public static string? Next(string status, string action) => (status, action) switch
    {
        ("raised", "acknowledge") => "acknowledged",
        ("raised" or "acknowledged", "task") => "tasked",
        ("raised" or "acknowledged" or "tasked", "close") => "closed",
        ("raised" or "acknowledged" or "tasked", "snooze") => status,
        _ => null,
    };

    /// <summary>Levels in rising order; an alert's level only rises while its signal develops.</summary>
    public static readonly string[] Levels = ["blue", "yellow", "orange", "red"];

    public static string Higher(string a, string b) => Array.IndexOf(Levels, a) >= Array.IndexOf(Levels, b) ? a : b;

    public static string LevelName(string level) => level switch
    {
        "red" => "红色", "orange" => "橙色", "yellow" => "黄色", _ => "蓝色",
    };

    public static string DispositionName(string disposition) => disposition switch
    {
        "true" => "属实", "false" => "误报", _ => "不确定",
    };
}
