namespace Dispatch.Server.Common;

/// <summary>Times are stored in UTC and handed out in Beijing time, as the centres read them.</summary>
public static class Clock
{
    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    public static DateTimeOffset Local(DateTimeOffset t) => t.ToOffset(Beijing);
    public static DateTimeOffset? Local(DateTimeOffset? t) => t?.ToOffset(Beijing);
}
