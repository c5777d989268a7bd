using Dispatch.Server.Incidents;

namespace Dispatch.Server.Supervision;

/// <summary>
/// 一评四会, automatically: a case past the deadline of its stage at a centre below
/// <c>Supervision:OverdueClimbsTo</c> (default the township: 小事不出村，大事不出镇) is escalated to
/// the centre above, once per centre (<see cref="Escalations.Overdue"/>), by the platform acting as
/// the responsible centre — the same step a dispatcher takes, on the timeline and pushed live.
/// </summary>
public sealed class EscalateOverdue(WorkingCalendar calendar, TimeProvider clock, IConfiguration config, ILogger<EscalateOverdue> log)
{
    public const string Actor = "system";
    readonly int _top = Array.IndexOf(Lifecycle.Levels, config["Supervision:OverdueClimbsTo"] ?? "township");

    const string Centre = "SELECT centre_code FROM incident WHERE id = @id";

    public async Task ApplyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long id, CancellationToken ct)
    {
        var centre = await conn.ExecuteScalarAsync<string>(new CommandDefinition(Centre, new { id }, tx, cancellationToken: ct));
        if (centre is null || Centres.Parent(centre) is not { } above || Array.IndexOf(Lifecycle.Levels, Centres.LevelOf(above)) > _top) return;
        var platform = new CurrentUser(Actor, "平台自动", [Roles.Dispatcher], centre, null);
        var note = $"超过本级处置时限仍未办结，按规定自动上报{Lifecycle.LevelName(Centres.LevelOf(above))}级综治中心。";
        var refused = await Transition.StepAsync(conn, tx, id, platform, IncidentAction.Escalate, new TransitionRequest("escalate", note, null, null, null),
            expected: null, calendar, clock, ct, Escalations.Overdue);
        if (refused is null) log.LogInformation("Incident {Id} overdue at {Centre}: escalated to {Above}", id, centre, above);
    }
}
