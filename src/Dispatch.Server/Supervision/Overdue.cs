using Dispatch.Server.Stats;

namespace Dispatch.Server.Supervision;

/// <summary>
/// Overdue has one definition, used by the console's lists, the wall, the KPIs and the metrics alike:
/// an open incident past the deadline of its current stage (to accept, to be on scene, to resolve) on
/// its SLA clock. A dispatched team works to the deadline set when the case was accepted, so a
/// dispatch does not restart the clock.
/// </summary>
public static class Overdue
{
    /// <summary>The rule in SQL over incident <paramref name="i"/> at the moment <paramref name="now"/>.</summary>
    public static string Sql(string i = "i", string now = "@now") => $"({i}.status IN {StatsApi.OpenStatuses} AND {i}.due_at < {now})";
}
