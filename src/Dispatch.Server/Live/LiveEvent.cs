using System.Text.Json;

namespace Dispatch.Server.Live;

/// <summary>What a client receives: <c>{ seq, type, at, data }</c> (docs/live-events.md).</summary>
public sealed record LiveEvent(long Seq, string Type, DateTimeOffset At, JsonElement Data);

/// <summary>
/// A published event with who may see it: users whose region contains <see cref="Scope"/>, users
/// whose region is one of <see cref="AlsoScopes"/> (the centre a case was transferred to, the
/// departments working on it), the staff in <see cref="StaffIds"/>, and field users only when
/// <see cref="ToField"/>.
/// </summary>
public sealed record Published(LiveEvent Event, string Scope, long[] StaffIds, bool ToField, string[] AlsoScopes)
{
    public long Seq => Event.Seq;
}

/// <summary>The event types of the contract, as the web client's union in web/src/live/events.ts.</summary>
public static class EventTypes
{
    public const string IncidentCreated = "incident.created";
    public const string IncidentUpdated = "incident.updated";
    public const string AssignmentCreated = "assignment.created";
    public const string AssignmentUpdated = "assignment.updated";
    public const string StaffLocation = "staff.location";
    public const string AlertRaised = "alert.raised";
    public const string AlertUpdated = "alert.updated";
    /// <summary>An SLA warning (80 % of a stage's time gone) or breach (its deadline passed), once each per deadline.</summary>
    public const string IncidentSla = "incident.sla";
    /// <summary>A dispatched member has not acknowledged within <c>Supervision:AcknowledgeWithin</c>: once per assignment.</summary>
    public const string AssignmentUnacknowledged = "assignment.unacknowledged";
}
