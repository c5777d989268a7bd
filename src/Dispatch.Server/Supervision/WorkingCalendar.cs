using System.Reflection;
using System.Text.Json;

namespace Dispatch.Server.Supervision;

/// <summary>
/// SLA clocks in natural or working time. A working day is a weekday not listed among China's
/// public holidays, or a weekend day listed as a make-up working day (调休), per the State
/// Council's yearly notices (db/calendar, from the npm package chinese-days). Working hours are
/// those of the centres, 08:30–12:00 and 14:30–17:30 Beijing time. Years beyond the calendar
/// count weekdays only.
/// </summary>
public sealed class WorkingCalendar
{
    static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    static readonly (TimeSpan From, TimeSpan To)[] Hours =
        [(new(8, 30, 0), new(12, 0, 0)), (new(14, 30, 0), new(17, 30, 0))];

    readonly HashSet<DateOnly> _holidays;
    readonly HashSet<DateOnly> _workdays;

    public WorkingCalendar(IEnumerable<DateOnly> holidays, IEnumerable<DateOnly> workdays) =>
        (_holidays, _workdays) = (holidays.ToHashSet(), workdays.ToHashSet());

    /// <summary>The calendar shipped with the server (db/calendar/*.json, embedded).</summary>
    public static WorkingCalendar Embedded()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var holidays = new List<DateOnly>();
        var workdays = new List<DateOnly>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("calendar/")).Order())
        {
            using var json = JsonDocument.Parse(assembly.GetManifestResourceStream(name)!);
            holidays.AddRange(json.RootElement.GetProperty("holidays").EnumerateObject().Select(p => DateOnly.Parse(p.Name)));
            workdays.AddRange(json.RootElement.GetProperty("workdays").EnumerateObject().Select(p => DateOnly.Parse(p.Name)));
        }
        return new WorkingCalendar(holidays, workdays);
    }

    public bool IsWorkingDay(DateOnly day) =>
        _workdays.Contains(day) || (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !_holidays.Contains(day));

    /// <summary>The deadline <paramref name="minutes"/> after <paramref name="start"/>, counting only working time when asked.</summary>
    public DateTimeOffset Deadline(DateTimeOffset start, int minutes, bool workingHours) =>
        Deadline(start, TimeSpan.FromMinutes(minutes), workingHours);

    /// <summary>The moment <paramref name="span"/> after <paramref name="start"/>, counting only working time when asked.</summary>
    public DateTimeOffset Deadline(DateTimeOffset start, TimeSpan span, bool workingHours)
    {
        if (!workingHours) return start + span;
        var left = span;
        var local = start.ToOffset(Beijing);
        for (var day = DateOnly.FromDateTime(local.DateTime); ; day = day.AddDays(1))
        {
            if (!IsWorkingDay(day)) continue;
            foreach (var (from, to) in Hours)
            {
                var open = new DateTimeOffset(day.ToDateTime(TimeOnly.FromTimeSpan(from)), Beijing);
                var close = new DateTimeOffset(day.ToDateTime(TimeOnly.FromTimeSpan(to)), Beijing);
                var begin = local > open ? local : open;
                if (begin >= close) continue;
                if (close - begin >= left) return (begin + left).ToUniversalTime();
                left -= close - begin;
            }
        }
    }
}
