namespace Dispatch.Server.FollowUps;

/// <summary>
/// When the 满意度回访 of a closure falls due: the Beijing date of the closure plus
/// <c>FollowUps:AfterDays</c> (default 1 — the next day, when the reporter has seen the result).
/// The row itself is written by the closing step (<see cref="Incidents.RecordStep"/>), in its
/// transaction, so a closure without its call cannot be committed. The setting is read once at
/// start-up and kept here because every path that closes a case (the API, a conference's decision)
/// goes through that one static step, which has no configuration of its own.
/// </summary>
public static class ScheduleFollowUp
{
    public static int AfterDays { get; private set; } = 1;

    public static void Configure(IConfiguration config)
    {
        var days = config.GetValue("FollowUps:AfterDays", 1);
        if (days is < 0 or > 30) throw new InvalidOperationException("FollowUps:AfterDays must be between 0 and 30.");
        AfterDays = days;
    }

    public static DateOnly DueOn(DateTimeOffset closedAt) => DateOnly.FromDateTime(Clock.Local(closedAt).DateTime).AddDays(AfterDays);
}
