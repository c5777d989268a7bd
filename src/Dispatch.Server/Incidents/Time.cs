using Dispatch.Server.Common;

namespace Dispatch.Server.Incidents;

/// <summary>
/// Npgsql gives Dapper a <c>timestamptz</c> as a UTC <see cref="DateTime"/>, which Dapper will not
/// turn into a <see cref="DateTimeOffset"/>; rows keep the DateTime and views say it in Beijing time.
/// </summary>
static class Time
{
    public static DateTimeOffset Local(DateTime utc) => Clock.Local(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));
    public static DateTimeOffset? Local(DateTime? utc) => utc is { } t ? Local(t) : null;
}
