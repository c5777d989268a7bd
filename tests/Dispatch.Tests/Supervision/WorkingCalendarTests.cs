using Dispatch.Server.Supervision;

namespace Dispatch.Tests.Supervision;

/// <summary>SLA deadlines against China's 2026 calendar (db/calendar/2026.json), in Beijing time.</summary>
public sealed class WorkingCalendarTests
{
    static readonly WorkingCalendar Calendar = WorkingCalendar.Embedded();
    static DateTimeOffset Beijing(string local) => DateTimeOffset.Parse(local + "+08:00");

    [Fact]
    public void Natural_time_counts_every_minute()
    {
        Assert.Equal(Beijing("2026-10-01T23:30:00"), Calendar.Deadline(Beijing("2026-10-01T22:30:00"), 60, workingHours: false));
    }

    [Theory]
    [InlineData("2026-11-26T09:00:00", 60, "2026-11-26T10:00:00")]   // a Thursday morning
    [InlineData("2026-11-26T11:30:00", 60, "2026-11-26T15:00:00")]   // over the lunch break
    [InlineData("2026-11-27T17:00:00", 60, "2026-11-30T09:00:00")]   // Friday evening to Monday
    [InlineData("2026-11-28T10:00:00", 30, "2026-11-30T09:00:00")]   // reported on a Saturday
    [InlineData("2026-11-26T06:00:00", 10, "2026-11-26T08:40:00")]   // before opening
    [InlineData("2026-09-30T17:00:00", 60, "2026-10-08T09:00:00")]   // National Day week off
    [InlineData("2026-10-09T17:00:00", 60, "2026-10-10T09:00:00")]   // Saturday 10 October is a make-up working day
    [InlineData("2026-11-26T08:30:00", 390, "2026-11-26T17:30:00")]  // exactly one working day
    public void Working_time_skips_nights_weekends_and_holidays(string start, int minutes, string expected)
    {
        Assert.Equal(Beijing(expected), Calendar.Deadline(Beijing(start), minutes, workingHours: true));
    }

    [Fact]
    public void Make_up_days_work_and_holidays_rest()
    {
        Assert.True(Calendar.IsWorkingDay(new DateOnly(2026, 9, 20)));   // Sunday, 调休
        Assert.False(Calendar.IsWorkingDay(new DateOnly(2026, 10, 5)));  // Monday, 国庆节
        Assert.False(Calendar.IsWorkingDay(new DateOnly(2026, 11, 29))); // an ordinary Sunday
    }
}
