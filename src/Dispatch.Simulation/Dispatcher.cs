using System.Collections.Concurrent;

namespace Dispatch.Simulation;

/// <summary>
/// A district's command centre (县区综治中心), signed in as <c>dispatcher-&lt;district&gt;</c>. It polls
/// its queues — new reports, escalations, work to dispatch, to verify and to close — and decides
/// on each item once, acting after a human delay with the version it read — as the case's
/// responsible centre (<see cref="City.CentreAsync"/>), the only one that may act on it. It also looks over the
/// work in the field now and then, so that field staff answer dispatches made by people at a
/// screen, or before a restart, too. Decisions follow <see cref="CityMix"/>.
/// </summary>
public sealed class Dispatcher(City city, string district, Session session)
{
    static readonly IncidentStatus[] Queues =
        [IncidentStatus.Reported, IncidentStatus.Escalated, IncidentStatus.Accepted, IncidentStatus.Resolved, IncidentStatus.Verified];
    static readonly IncidentStatus[] InTheField = [IncidentStatus.Dispatched, IncidentStatus.Acknowledged, IncidentStatus.OnScene];
    const int PageSize = 200;

    /// <summary>The item each incident is being handled as (status, version): one decision per status.</summary>
    readonly ConcurrentDictionary<long, IncidentDto> _handling = new();
    /// <summary>The version this centre's own last step produced, until a list shows it: older list rows are stale.</summary>
    readonly ConcurrentDictionary<long, int> _stepped = new();

    public Session Session => session;
    public string District => district;

    public async Task RunAsync(CancellationToken ct)
    {
        var clock = city.Clock;
        var nextFieldCheck = clock.Now;
        while (!ct.IsCancellationRequested)
        {
            foreach (var status in Queues) await ScanAsync(status, Consider, ct);
            if (clock.Now >= nextFieldCheck)
            {
                foreach (var status in InTheField) await ScanAsync(status, item => city.Spawn(t => LookAfterAsync(item.Id, t)), ct);
                nextFieldCheck = clock.Now + clock.AtLeastReal(TimeSpan.FromMinutes(10), city.Options.PollFloor * 5);
            }
            await clock.DelayAsync(clock.AtLeastReal(TimeSpan.FromMinutes(1), city.Options.PollFloor), ct);
        }
    }

    async Task ScanAsync(IncidentStatus status, Action<IncidentDto> each, CancellationToken ct)
    {
        for (var page = 1; page <= 10; page++)
        {
            var reply = await city.Api.GetAsync<IncidentPageDto>(session,
                $"/api/incidents?status={status.Wire()}&regionCode={district}&pageSize={PageSize}&page={page}", ct);
            if (!reply.Ok) { city.Failed($"{district} queue {status.Wire()}", reply); return; }
            foreach (var item in reply.Value!.Items.Where(i => i.Status == status)) each(item);
            if (page * PageSize >= reply.Value.Total) return;
        }
    }

    void Consider(IncidentDto item)
    {
        if (_stepped.TryGetValue(item.Id, out var stepped))
        {
            if (item.Version < stepped) return;
            _stepped.TryRemove(KeyValuePair.Create(item.Id, stepped));
        }
        if (_handling.TryGetValue(item.Id, out var current) && (current.Status == item.Status || current.Version > item.Version)) return;
        _handling[item.Id] = item;
        city.Spawn(async ct =>
        {
            try { await DecideAsync(item, ct); }
            finally { _handling.TryRemove(KeyValuePair.Create(item.Id, item)); }
        });
    }

    Task DecideAsync(IncidentDto item, CancellationToken ct) => item.Status switch
    {
        IncidentStatus.Reported => IntakeAsync(item, ct),
        IncidentStatus.Escalated when item.Level != "city" => ActLaterAsync(item, Rhythm.OfficeHours(city.Clock.Now + Pace.Conference(Rng(item, 2))),
            IncidentAction.Accept, "经县区评议会商会研究，由县区综治中心统筹处置。", ct),
        IncidentStatus.Accepted => DispatchLaterAsync(item.Id, Pace.Dispatch(city.Category(item.CategoryCode).Sla, Rng(item, 3)), ct),
        IncidentStatus.Resolved => Rng(item, 4).NextDouble() < CityMix.ReworkAtVerify
            ? ActLaterAsync(item, Rhythm.Daytime(city.Clock.Now + Pace.Verify(Rng(item, 5))), IncidentAction.Rework, "核查发现处置不到位，退回重新处置。", ct)
            : ActLaterAsync(item, Rhythm.Daytime(city.Clock.Now + Pace.Verify(Rng(item, 5))), IncidentAction.Verify, VerifyNote, ct),
        IncidentStatus.Verified => Rng(item, 6).NextDouble() < CityMix.ReworkAtClose
            ? ActLaterAsync(item, Rhythm.Daytime(city.Clock.Now + Pace.Close(Rng(item, 7))), IncidentAction.Rework, "回访当事人不满意，退回重新处置。", ct)
            : ActLaterAsync(item, Rhythm.Daytime(city.Clock.Now + Pace.Close(Rng(item, 7))), IncidentAction.Close, CloseNote, ct),
        _ => Task.CompletedTask,
    };

    Random Rng(IncidentDto item, int decision) => city.RandomFor(item.Id, decision * 1_000 + item.Version);

    /// <summary>A new report: a likely duplicate is cancelled; otherwise reject, escalate, withdraw or (mostly) accept.</summary>
    Task IntakeAsync(IncidentDto item, CancellationToken ct)
    {
        var rng = Rng(item, 1);
        var kind = CityMix.Kinds.FirstOrDefault(k => k.Code == item.CategoryCode) ?? CityMix.Kinds[^1];
        var r = rng.NextDouble();
        var (action, note) =
            item.DuplicateOf is { } twin && rng.NextDouble() < 0.85 ? (IncidentAction.Cancel, $"与事件 #{twin} 为同一事项，重复上报，予以撤销。")
            : r < kind.Reject ? (IncidentAction.Reject, Descriptions.Pick(RejectReasons, rng))
            : r < kind.Reject + kind.Escalate ? (IncidentAction.Escalate, EscalateNote)
            : r < kind.Reject + kind.Escalate + CityMix.Withdraw ? (IncidentAction.Cancel, WithdrawNote)
            : (IncidentAction.Accept, (string?)null);
        var delay = Pace.Intake(city.Category(item.CategoryCode).Sla, rng) * (action == IncidentAction.Escalate ? 2 : 1);
        return ActLaterAsync(item, city.Clock.Now + delay, action, note, ct);
    }

    internal const string EscalateNote = "事态复杂，超出乡镇（街道）处置能力，提请县区评议会商会研判。";
    internal const string VerifyNote = "经核查，处置到位。";
    internal const string CloseNote = "回访当事人，对处置结果满意，予以结案。";
    internal const string WithdrawNote = "当事人来电表示已自行协商解决，申请撤回。";

    internal static readonly string[] RejectReasons =
    [
        "经核实，该事项不属于本平台受理范围，已告知当事人向有关部门反映。",
        "该事项已进入诉讼程序，依法不予受理，已引导当事人通过司法途径解决。",
        "经电话核实，反映情况与事实不符，不予受理。",
    ];

    async Task ActLaterAsync(IncidentDto item, DateTimeOffset when, IncidentAction action, string? note, CancellationToken ct)
    {
        await city.Clock.WaitUntilAsync(when, ct);
        var reply = await city.StepAsync(await city.CentreAsync(item, session), item, action, ct, note);
        if (!reply.Ok) city.Failed($"{action.Wire()} #{item.Id}", reply);
        else if (Queues.Contains(reply.Value!.Status)) _stepped[item.Id] = reply.Value.Version;
    }

    /// <summary>A field member declined: find someone else after a few minutes.</summary>
    public void Declined(long id) => city.Spawn(ct => DispatchLaterAsync(id, Pace.Replace(city.RandomFor(id, 8)), ct));

    /// <summary>Mediation on scene failed: the case goes up the ladder (一评四会).</summary>
    public void MediationFailed(IncidentDto incident) => city.Spawn(async ct =>
    {
        await city.Clock.DelayAsync(Pace.Replace(city.RandomFor(incident.Id, 9)), ct);
        var current = await city.ReadAsync(session, incident.Id, ct);
        if (!current.Ok) { city.Failed($"read #{incident.Id}", current); return; }
        if (current.Value!.Status != IncidentStatus.OnScene) return;
        var reply = await city.StepAsync(await city.CentreAsync(current.Value, session), current.Value, IncidentAction.Escalate, ct, "现场调解未果，双方分歧较大，提请上级评议会商。");
        if (!reply.Ok) city.Failed($"escalate #{incident.Id}", reply);
    });

    async Task DispatchLaterAsync(long id, TimeSpan delay, CancellationToken ct)
    {
        await city.Clock.DelayAsync(delay, ct);
        await new Dispatching(city, session).TeamUpAsync(id, ct);
    }

    /// <summary>Work in the field that no simulated person is looking after yet: hand it to its staff.</summary>
    async Task LookAfterAsync(long id, CancellationToken ct)
    {
        if (city.Field.IsLookingAfter(id)) return;
        var reply = await city.ReadAsync(session, id, ct);
        if (!reply.Ok) { city.Failed($"read #{id}", reply); return; }
        city.Field.Adopt(reply.Value!);
        if (reply.Value!.Status == IncidentStatus.Dispatched) await new Dispatching(city, session).TeamUpAsync(id, ct);
    }
}
