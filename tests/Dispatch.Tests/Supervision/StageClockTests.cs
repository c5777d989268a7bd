using Dispatch.Server.Supervision;

namespace Dispatch.Tests.Supervision;

/// <summary>
/// A stage's warning comes at 80 % of its time, counted in the clock's own time: in working hours
/// across the lunch break, a night, a weekend, a holiday and a make-up working day (2026 calendar).
/// </summary>
public sealed class StageClockTests
{
    static readonly WorkingCalendar Calendar = WorkingCalendar.Embedded();
    static DateTimeOffset Beijing(string local) => DateTimeOffset.Parse(local + "+08:00");

    [Theory]
    [InlineData("2026-11-26T11:30:00", 60, "2026-11-26T14:48:00", "2026-11-26T15:00:00")] // over the lunch break
    [InlineData("2026-11-26T17:00:00", 60, "2026-11-27T08:48:00", "2026-11-27T09:00:00")] // over a night
    [InlineData("2026-11-27T17:00:00", 60, "2026-11-30T08:48:00", "2026-11-30T09:00:00")] // over a weekend
    [InlineData("2026-09-30T17:00:00", 60, "2026-10-08T08:48:00", "2026-10-08T09:00:00")] // over the National Day holiday
    [InlineData("2026-10-09T17:00:00", 60, "2026-10-10T08:48:00", "2026-10-10T09:00:00")] // into Saturday 10 October, a make-up working day
    [InlineData("2026-11-27T16:00:00", 150, "2026-11-30T09:00:00", "2026-11-30T09:30:00")] // the warning itself falls after the weekend
    public void Working_hours_warn_at_80_percent_of_working_time(string start, int minutes, string warn, string due)
    {
        var clock = StageClock.Start(Calendar, Beijing(start), minutes, workingHours: true);
        Assert.Equal(Beijing(warn), clock.Warn);
        Assert.Equal(Beijing(due), clock.Due);
    }

    [Fact]
    public void Natural_time_warns_at_80_percent_of_every_minute()
    {
        var clock = StageClock.Start(Calendar, Beijing("2026-10-01T22:00:00"), 600, workingHours: false);
        Assert.Equal(Beijing("2026-10-02T06:00:00"), clock.Warn);
        Assert.Equal(Beijing("2026-10-02T08:00:00"), clock.Due);
    }
}
