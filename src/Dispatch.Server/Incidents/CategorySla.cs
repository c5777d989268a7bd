namespace Dispatch.Server.Incidents;

/// <summary>
/// The SLA clocks of a category at a priority — minutes to accept, to be on scene and to resolve, in
/// natural or working time: the category's own at its default priority, <c>category_priority_sla</c>'s
/// at another priority when it has a row for it — and the level of centre its cases start at.
/// </summary>
sealed record CategorySla(short DefaultPriority, int AcceptMinutes, int ArriveMinutes, int ResolveMinutes, bool WorkingHours, string StartLevel)
{
    /// <summary>The join that gives an incident <c>i</c> of category <c>c</c> the clocks of its priority (<c>p</c>, or the category's).</summary>
    public const string JoinSql = "LEFT JOIN category_priority_sla p ON p.category_code = c.code AND p.priority = i.priority";

    public static async Task<CategorySla?> FindAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string code, short? priority, CancellationToken ct) =>
        await conn.QuerySingleOrDefaultAsync<CategorySla>(new CommandDefinition("""
            SELECT c.priority AS default_priority, coalesce(p.accept_minutes, c.accept_minutes) AS accept_minutes,
                   coalesce(p.arrive_minutes, c.arrive_minutes) AS arrive_minutes, coalesce(p.resolve_minutes, c.resolve_minutes) AS resolve_minutes,
                   c.working_hours, c.start_level
            FROM category c LEFT JOIN category_priority_sla p ON p.category_code = c.code AND p.priority = coalesce(@priority, c.priority)
            WHERE c.code = @code
            """, new { code, priority }, tx, cancellationToken: ct));
}
