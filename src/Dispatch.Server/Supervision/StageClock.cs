namespace Dispatch.Server.Supervision;

/// <summary>
/// The SLA clock of an incident's current stage (to accept, to be on scene, to resolve): its
/// deadline, and the moment <see cref="WarnFraction"/> of the stage's time has passed — counted in
/// the same time as the deadline, so a working-hours clock warns in working hours too.
/// </summary>
public readonly record struct StageClock(DateTimeOffset Due, DateTimeOffset Warn)
{
    /// <summary>At 80 % of the time a warning, at 100 % a breach.</summary>
    public const double WarnFraction = 0.8;

    public static StageClock Start(WorkingCalendar calendar, DateTimeOffset start, int minutes, bool workingHours) =>
        new(calendar.Deadline(start, minutes, workingHours),
            calendar.Deadline(start, TimeSpan.FromMinutes(minutes * WarnFraction), workingHours));
}
