using Dispatch.EarlyWarning.Patterns;
using static Dispatch.EarlyWarning.Tests.Patterns.RepeatIncidentsTests;

namespace Dispatch.EarlyWarning.Tests.Patterns;

public class EscalatingDisputesTests
{
    static readonly string[] AB = ["hA", "hB"];
    static readonly int Quarrel = DisputeSeverity.Of("dispute.neighbour", 3);
    static readonly int Fight = DisputeSeverity.Of("order", 2);
    static readonly int Assault = DisputeSeverity.Of("criminal", 1);

    [Fact]
    public void The_severity_scale_puts_the_kind_first_and_the_priority_second()
    {
        Assert.Equal(5, Quarrel);
        Assert.Equal(14, Fight);
        Assert.Equal(19, Assault);
        Assert.Equal(0, DisputeSeverity.Of("service", 4));
        Assert.Equal(7, DisputeSeverity.Of("dispute", 1));
        Assert.Equal(4, DisputeSeverity.Of("something.new", 4));   // unknown: a dispute
        Assert.True(DisputeSeverity.Of("dispute.wages", 1) < DisputeSeverity.Of("petition", 4));
    }

    [Fact]
    public void A_quarrel_that_comes_back_as_a_fight_and_then_an_assault_escalates_twice()
    {
        var found = EscalatingDisputes.Find([At(1, 1, parties: AB, severity: Quarrel), At(2, 6, parties: AB, severity: Fight), At(3, 20, parties: ["hB"], severity: Assault)]);

        Assert.Equal([2L, 3], found.Select(e => e.LatestId));
        var last = found[^1];
        Assert.Equal(EscalatingDisputes.Detector, last.Detector);
        Assert.Equal([1L, 2, 3], last.IncidentIds);
        Assert.Equal([Quarrel, Fight, Assault], last.Severities);
        Assert.Equal((Assault, Fight), (last.Severity, last.PreviousMax));
        Assert.Equal(["hB"], last.Keys);
        Assert.Equal((new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 20)), (last.From, last.To));
    }

    [Fact]
    public void Repeats_at_the_same_level_or_a_relapse_below_the_high_do_not_escalate()
    {
        Assert.Empty(EscalatingDisputes.Find([At(1, 1, parties: AB, severity: Fight), At(2, 2, parties: AB, severity: Fight), At(3, 3, parties: AB, severity: Fight)]));
        Assert.Empty(EscalatingDisputes.Find([At(1, 1, parties: AB, severity: Fight), At(2, 2, parties: AB, severity: Quarrel), At(3, 3, parties: AB, severity: Fight)]));
    }

    [Fact]
    public void Only_the_last_30_days_and_the_same_parties_or_address_count()
    {
        // Day 1 and day 30 are 30 calendar days: linked; day 1 and day 31 are not.
        Assert.Single(EscalatingDisputes.Find([At(1, 1, parties: AB, severity: Quarrel), At(2, 30, parties: AB, severity: Fight)]));
        Assert.Empty(EscalatingDisputes.Find([At(1, 1, parties: AB, severity: Quarrel), At(2, 31, parties: AB, severity: Fight)]));
        Assert.Empty(EscalatingDisputes.Find([At(1, 1, parties: ["hA"], severity: Quarrel), At(2, 2, parties: ["hC"], severity: Fight)]));
        Assert.Empty(EscalatingDisputes.Find([At(1, 1, severity: Quarrel), At(2, 2, east: 10, severity: Fight)])); // near, but no link
        Assert.Equal(["黄河路-12"], EscalatingDisputes.Find([At(1, 1, address: "黄河路-12", severity: Quarrel), At(2, 2, address: "黄河路-12", severity: Fight)]).Single().Keys);
    }

    [Fact]
    public void A_longer_history_can_be_required()
    {
        var incidents = new[] { At(1, 1, parties: AB, severity: Quarrel), At(2, 2, parties: AB, severity: Fight), At(3, 3, parties: AB, severity: Assault) };

        Assert.Equal([3L], EscalatingDisputes.Find(incidents, new EscalationOptions(MinEarlier: 2)).Select(e => e.LatestId));
        Assert.Throws<ArgumentOutOfRangeException>(() => EscalatingDisputes.Find(incidents, new EscalationOptions(MinEarlier: 0)));
    }
}
