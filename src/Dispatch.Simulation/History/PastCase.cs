namespace Dispatch.Simulation.History;

/// <summary>A place reports come from: a grid (named like "纸坊村第1网格") at its service point, and the staff who answer there.</summary>
/// <param name="Staff">The grid's worker and its village's police officer, mediator and legal adviser, by staff kind.</param>
public sealed record HistoryPlace(string Grid, string Name, double Lon, double Lat, IReadOnlyDictionary<string, (long Id, string Code)> Staff)
{
    public string Village => Grid[..12];
    public string Township => Grid[..9];
    public string District => Grid[..6];
}

/// <summary>A category as the history needs it: its priority, its SLA minutes, the level whose centre takes it first, the staff kinds that answer it.</summary>
public sealed record HistoryCategory(string Code, int Priority, int AcceptMinutes, int ArriveMinutes, int ResolveMinutes, string StartLevel, IReadOnlyList<string> Roles);

/// <summary>One timeline entry, with the deadline in force when it was taken (as the live server records it).</summary>
public sealed record PastStep(string Action, string? From, string To, DateTimeOffset At, DateTimeOffset? DueAt, string Actor, string? Note = null);

/// <summary>The one assignment of a case: who, as what, when asked, when they answered, and whether they are still on it (the generator lets none stay).</summary>
public sealed record PastAssignment(long StaffId, string Role, DateTimeOffset AssignedAt, DateTimeOffset? RespondedAt, bool Live);

/// <summary>A 督办 on the case: ordered, due, done (when the case ended) or still open.</summary>
public sealed record PastOrder(string OrderedBy, DateTimeOffset OrderedAt, DateTimeOffset DueBy, DateTimeOffset? DoneAt, string Note);

/// <summary>An escalation up one level of the ladder.</summary>
public sealed record PastEscalation(string Cause, string FromCentre, string ToCentre, string Reason, string By, DateTimeOffset At);

/// <summary>The 满意度回访 a closure scheduled, and its answer once recorded.</summary>
/// <param name="ClosingStep">Index in <see cref="PastCase.Steps"/> of the close it follows.</param>
public sealed record PastFollowUp(int ClosingStep, DateOnly DueOn, string Centre, string? Result, string? DoneBy, DateTimeOffset? DoneAt);

/// <summary>
/// A case of the city's past, as the live platform would have left it: its final status, every step
/// of its timeline, and what hangs on it. The writer (the server's <c>generate-history</c>) gives it ids.
/// </summary>
public sealed record PastCase(
    HistoryPlace Place, HistoryCategory Category, int Priority, string Source, string Description, double Lon, double Lat,
    string? ReporterName, string? ReporterPhone, DateTimeOffset ReportedAt, string Status, string Level, string Centre, DateTimeOffset? DueAt,
    IReadOnlyList<PastStep> Steps, PastAssignment? Assignment, PastOrder? Order, PastEscalation? Escalation, PastFollowUp? FollowUp)
{
    public DateTimeOffset UpdatedAt => Steps[^1].At;
}
