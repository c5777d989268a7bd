using Dispatch.Server.Live;

namespace Dispatch.Server.Departments;

/// <summary>
/// A department task's change, told live as <c>incident.updated</c> (the case as it stands; its
/// version does not move, so no one's If-Match goes stale) to the place's centres, the centre
/// holding the case and every department on it. SQL to follow a CTE named <c>changed</c> that
/// returns the task's <c>incident_id</c> and <c>department_code</c>, with <c>@action</c>,
/// <c>@by</c> and <c>@type</c> bound: the event commits with the change or not at all.
/// </summary>
static class TaskAnnouncement
{
    // The task this statement writes is not yet visible to live_also_scopes (one snapshot per
    // statement): its department is added by hand — a duplicate entry costs nothing.
    public const string AnnounceChanged = """
        INSERT INTO outbox (type, scope, also_scopes, to_field, data)
        SELECT @type, i.grid_code, live_also_scopes(i) || ('dept-' || t.department_code), false, live_incident(i, c.name, @action, @by)
        FROM changed t JOIN incident i ON i.id = t.incident_id JOIN category c ON c.code = i.category_code
        """;

    public const string Type = EventTypes.IncidentUpdated;
}
