using MathNet.Numerics.Distributions;

namespace Dispatch.Simulation.History;

/// <summary>
/// A city's past, day by day: reports at <see cref="CityMix"/>'s shares and <see cref="Rhythm"/>'s
/// hours, each carried through the ladder as the live platform would have carried it — accepted
/// (sometimes late), dispatched to the grid's staff, on scene, resolved (sometimes late, sometimes
/// sent back by verification), verified and closed; a few rejected, escalated to the township,
/// put under 督办; closures with a reporter's phone followed up a few days later. Planted signals
/// add reports to one grid on one day. The same options give the same past, case for case.
/// <para>
/// Deadlines run in natural minutes: the history does not know the working calendar, so a
/// working-hours category's clock is stricter here than on the live platform (docs/api.md).
/// A case whose next step would come after <see cref="HistoryOptions.Until"/> stops where it is,
/// as today's open work — except work in the field, which waits, accepted, for dispatch: the past
/// holds no live assignment.
/// </para>
/// </summary>
public sealed class HistoryGenerator(HistoryOptions options, IReadOnlyList<HistoryPlace> places, IReadOnlyDictionary<string, HistoryCategory> categories)
{
    static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>The share of kinds' reports that name their reporter with a phone, by source (<see cref="CityMix.GivesContact"/>).</summary>
    static readonly string[] Sources = ["grid_worker", "hotline", "walk_in", "police_transfer", "online"];

    /// <summary>Follow-up answers: 满意, 基本满意, 不满意, 联系不上 — about nine in ten satisfied, as the article's 满意度 implies.</summary>
    static readonly (string Result, double Share)[] Answers = [("satisfied", 0.78), ("basic", 0.12), ("unsatisfied", 0.04), ("unreachable", 0.06)];

    /// <summary>Late steps come from log-normal delays whose median is this share of the SLA: about one in ten past it.</summary>
    const double AcceptMedian = 0.3, ArriveMedian = 0.35, ResolveMedian = 0.3, Spread = 0.9;
    const double Supervised = 0.02, FollowUpRecorded = 0.95, BeyondTownship = 0.1;

    /// <summary>Every day's cases in order of report, lazily (a year of a city is half a million).</summary>
    public IEnumerable<PastCase> Cases()
    {
        // The days up to the moment the past ends, that day included when it has begun (a past to midnight ends the day before).
        var first = options.Until.ToOffset(Beijing).AddTicks(-1).Date.AddDays(-options.Days + 1);
        for (var d = 0; d < options.Days; d++)
        {
            var day = new DateTimeOffset(first.AddDays(d), Beijing);
            var rng = Rng(day.DayNumber(), 0);
            var reports = new List<(DateTimeOffset At, Kind Kind, HistoryPlace Place)>();
            foreach (var kind in CityMix.Kinds)
            for (var hour = 0; hour < 24; hour++)
            {
                var mean = Rhythm.PerMinute(kind, day.AddHours(hour), options.RatePerDay) * 60;
                for (var n = Poisson.Sample(rng, mean); n > 0; n--)
                    reports.Add((day.AddHours(hour).AddSeconds(rng.NextDouble() * 3600), kind, places[rng.Next(places.Count)]));
            }
            foreach (var plant in options.Plants.Where(p => p.Day == DateOnly.FromDateTime(day.DateTime)))
                if (places.FirstOrDefault(p => p.Grid == plant.Grid) is { } place && CityMix.Kinds.FirstOrDefault(k => k.Code == plant.Category) is { } kind)
                    for (var n = 0; n < plant.Count; n++) reports.Add((day.AddHours(8 + rng.NextDouble() * 12), kind, place));
            var index = 0;
            foreach (var (at, kind, place) in reports.OrderBy(r => r.At))
            {
                var caseRng = Rng(day.DayNumber(), ++index);
                // A tenth of petitions went past the township (越级上访, a 三零 figure): the live mix has no such kind.
                var code = kind.Code == "petition" && caseRng.NextDouble() < BeyondTownship ? "petition.beyond_township" : kind.Code;
                if (at <= options.Until && categories.TryGetValue(code, out var category)) yield return Case(at, kind, category, place, caseRng);
            }
        }
    }

    PastCase Case(DateTimeOffset reported, Kind kind, HistoryCategory category, HistoryPlace place, Random rng)
    {
        var until = options.Until;
        var sourceIndex = Categorical.Sample(rng, kind.Sources);
        var source = Sources[sourceIndex];
        var contact = rng.NextDouble() < CityMix.GivesContact[sourceIndex];
        var priority = rng.NextDouble() < CityMix.Urgent ? Math.Max(1, category.Priority - 1) : category.Priority;
        var centre = category.StartLevel switch { "township" => place.Township, "district" => place.District, "city" => place.District[..4] + "00", _ => place.Village };
        var level = category.StartLevel;
        var staffKind = category.Roles.FirstOrDefault(place.Staff.ContainsKey);
        var worker = staffKind is null ? default : place.Staff[staffKind];

        var steps = new List<PastStep> { new("report", null, "reported", reported, null, source == "grid_worker" && staffKind is not null ? worker.Code : "dispatcher-" + centre) };
        var status = "reported";
        DateTimeOffset? due = reported.AddMinutes(category.AcceptMinutes);
        PastAssignment? assignment = null;
        PastEscalation? escalation = null;
        PastFollowUp? followUp = null;
        var done = false;

        // A step at t, if t has come; false once the history's end is reached (the case stays as it is).
        bool Step(string action, string to, DateTimeOffset at, DateTimeOffset? nextDue, string actor, string? note = null)
        {
            if (done || at > until) return !(done = true);
            steps.Add(new PastStep(action, status, to, at, due, actor, note));
            status = to;
            due = nextDue;
            return true;
        }
        DateTimeOffset After(DateTimeOffset t, double medianMinutes) => t.AddMinutes(LogNormal.Sample(rng, Math.Log(Math.Max(1, medianMinutes)), Spread));
        string Dispatcher() => "dispatcher-" + centre;

        var t = After(reported, category.AcceptMinutes * AcceptMedian);
        if (rng.NextDouble() < kind.Reject)
            Step("reject", "rejected", t, null, Dispatcher(), "不属于受理范围，已告知来源渠道。");
        else if (Step("accept", "accepted", t, t.AddMinutes(category.ArriveMinutes), Dispatcher()))
        {
            if (level == "village" && rng.NextDouble() < kind.Escalate)
            {
                var up = After(t, 60);
                var reason = "村级调处未果，提交乡镇综治联席会研判。";
                if (Step("escalate", "escalated", up, up.AddMinutes(category.ArriveMinutes), Dispatcher(), reason))
                {
                    escalation = new PastEscalation("by_hand", centre, place.Township, reason, Dispatcher(), up);
                    centre = place.Township;
                    level = "township";
                    t = After(up, category.AcceptMinutes * AcceptMedian);
                    Step("accept", "accepted", t, t.AddMinutes(category.ArriveMinutes), Dispatcher());
                }
            }
            for (var round = 0; round < 2 && !done && staffKind is not null; round++)
            {
                var sent = t.AddMinutes(1 + rng.NextDouble() * 9);
                if (!Step("dispatch", "dispatched", sent, due, Dispatcher())) break;
                var answered = sent.AddMinutes(Exponential.Sample(rng, 1 / 5.0));
                assignment = new PastAssignment(worker.Id, staffKind, sent, null, Live: true);
                if (!Step("acknowledge", "acknowledged", answered, due, worker.Code)) break;
                assignment = assignment with { RespondedAt = answered };
                var arrived = After(answered, category.ArriveMinutes * ArriveMedian);
                if (!Step("arrive", "on_scene", arrived, arrived.AddMinutes(category.ResolveMinutes), worker.Code)) break;
                var resolved = After(arrived, category.ResolveMinutes * ResolveMedian);
                if (!Step("resolve", "resolved", resolved, null, worker.Code, Descriptions.Resolution(kind.Code, rng))) break;
                assignment = assignment with { Live = false };
                var checkedAt = resolved.AddMinutes(10 + rng.NextDouble() * 230);
                if (round == 0 && rng.NextDouble() < CityMix.ReworkAtVerify)
                {
                    if (!Step("rework", "accepted", checkedAt, checkedAt.AddMinutes(category.ArriveMinutes), Dispatcher(), "处置不到位，退回重办。")) break;
                    t = checkedAt;
                    continue;
                }
                if (!Step("verify", "verified", checkedAt, null, Dispatcher())) break;
                var closed = checkedAt.AddMinutes(30 + rng.NextDouble() * 1410);
                if (!Step("close", "closed", closed, null, Dispatcher())) break;
                if (contact)
                {
                    var dueOn = DateOnly.FromDateTime(closed.ToOffset(Beijing).DateTime).AddDays(3);
                    var heard = Rhythm.Daytime(closed.ToOffset(Beijing).AddDays(1 + rng.NextDouble() * 2));
                    followUp = heard <= until && rng.NextDouble() < FollowUpRecorded
                        ? new PastFollowUp(steps.Count - 1, dueOn, centre, Pick(rng), Dispatcher(), heard)
                        : new PastFollowUp(steps.Count - 1, dueOn, centre, null, null, null);
                }
                break;
            }
        }

        // Work still in the field at the end of the past goes back to its centre's queue, accepted, for dispatch:
        // the history ties up none of today's staff (one live assignment each is the platform's rule). Its arrive
        // clock starts again at that handover — kept from its first acceptance, a case weeks in the field came back
        // long overdue, and a first start's wall showed 1,400 of them.
        if (assignment is { Live: true })
        {
            var accepted = steps.FindLastIndex(s => s.To == "accepted");
            steps.RemoveRange(accepted + 1, steps.Count - accepted - 1);
            (status, due, assignment) = ("accepted", until.AddMinutes(category.ArriveMinutes), null);
        }

        PastOrder? order = null;
        var acceptedAt = steps.FirstOrDefault(s => s.Action == "accept")?.At;
        if (acceptedAt is { } a && rng.NextDouble() < Supervised && a.AddHours(2) <= until)
        {
            var ordered = a.AddHours(2 + rng.NextDouble() * 22);
            if (ordered <= until)
                order = new PastOrder("supervisor-" + place.District, ordered, ordered.AddDays(2),
                    status is "closed" or "rejected" ? steps[^1].At : null, "群众反映强烈，限期办结并报告结果。");
        }

        var (name, phone) = contact ? (Descriptions.Name(rng), Descriptions.Phone(rng)) : ((string?)null, (string?)null);
        var lon = place.Lon + (rng.NextDouble() - 0.5) * 0.0006;
        var lat = place.Lat + (rng.NextDouble() - 0.5) * 0.0006;
        return new PastCase(place, category, priority, source, Descriptions.Report(kind.Code, Descriptions.Place(place.Name), rng), lon, lat, name, phone,
            reported, status, level, centre, due, steps, assignment, order, escalation, followUp);
    }

    static string Pick(Random rng)
    {
        var u = rng.NextDouble();
        foreach (var (result, share) in Answers)
            if ((u -= share) < 0) return result;
        return Answers[^1].Result;
    }

    /// <summary>A random stream per (day, case), so that one day's past does not depend on another's.</summary>
    Random Rng(long day, int index)
    {
        ulong z = 0;
        foreach (var part in new[] { (ulong)options.Seed, (ulong)day, (ulong)index })
        {
            z = unchecked(z + part + 0x9E3779B97F4A7C15UL);
            z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
            z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
            z ^= z >> 31;
        }
        return new MathNet.Numerics.Random.MersenneTwister((int)(z & int.MaxValue), threadSafe: false);
    }
}

static class DayNumbers
{
    public static long DayNumber(this DateTimeOffset day) => DateOnly.FromDateTime(day.DateTime).DayNumber;
}
