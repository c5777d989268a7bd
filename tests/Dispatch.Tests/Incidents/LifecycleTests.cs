using Dispatch.Server.Incidents;
using Dispatch.Server.Supervision;

namespace Dispatch.Tests.Incidents;

/// <summary>The lifecycle as a pure function: every status × every action, then what the team and the level change.</summary>
public sealed class LifecycleTests
{
    /// <summary>
    /// Where each action leads from each status ("." = not allowed), for a township incident whose
    /// team is one person: dispatch sends them (still pending), acknowledge is their yes, decline
    /// their no (leaving nobody).
    /// </summary>
    const string Table = """
        from\action   accept    reject    dispatch    acknowledge   decline   arrive    resolve   verify    rework    close   escalate   reopen    cancel     pull_up       hand_down  report_done  relocate      merge      transfer
        reported      accepted  rejected  .           .             .         .         .         .         .         .       escalated  .         cancelled  reported      .          .            reported      cancelled  reported
        accepted      .         .         dispatched  .             .         .         .         .         .         .       escalated  .         cancelled  accepted      accepted   .            accepted      cancelled  accepted
        rejected      .         .         .           .             .         .         .         .         .         .       .          reported  .          .             .          .            .             .          .
        dispatched    .         .         dispatched  acknowledged  accepted  .         .         .         .         .       escalated  .         cancelled  dispatched    .          .            dispatched    cancelled  dispatched
        acknowledged  .         .         dispatched  .             .         on_scene  .         .         .         .       escalated  .         cancelled  acknowledged  .          .            acknowledged  cancelled  acknowledged
        on_scene      .         .         .           .             .         .         resolved  .         .         .       escalated  .         .          on_scene      .          .            on_scene      .          on_scene
        resolved      .         .         .           .             .         .         .         verified  accepted  .       .          .         .          .             .          resolved     .             .          .
        verified      .         .         .           .             .         .         .         .         accepted  closed  .          .         .          .             .          .            .             .          .
        closed        .         .         .           .             .         .         .         .         .         .       .          accepted  .          .             .          .            .             .          .
        escalated     accepted  .         .           .             .         .         .         .         .         closed  .          .         cancelled  escalated     accepted   .            escalated     cancelled  escalated
        cancelled     .         .         .           .             .         .         .         .         .         .       .          .         .          .             .          .            .             .          .
        """;

    static readonly Dictionary<string, IncidentStatus> Statuses = Enum.GetValues<IncidentStatus>().ToDictionary(s => s.Wire());
    static readonly Dictionary<string, IncidentAction> Actions = Enum.GetValues<IncidentAction>().ToDictionary(a => a.Wire());

    /// <summary>The one-person team as it stands after the action's own change to it.</summary>
    static Team OnePersonAfter(IncidentAction action) => action switch
    {
        IncidentAction.Acknowledge => new Team(1, 1),
        IncidentAction.Decline => Team.None,
        _ => new Team(1, 0),
    };

    public static TheoryData<IncidentStatus, IncidentAction, IncidentStatus?> Cells()
    {
        var lines = Table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
        var data = new TheoryData<IncidentStatus, IncidentAction, IncidentStatus?>();
        foreach (var line in lines[1..])
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < header.Length; i++)
                data.Add(Statuses[cells[0]], Actions[header[i]], cells[i + 1] == "." ? null : Statuses[cells[i + 1]]);
        }
        return data;
    }

    [Fact]
    public void The_table_names_every_status_and_every_action_once()
    {
        var cells = Cells().Select(row => ((IncidentStatus)row[0], (IncidentAction)row[1])).ToList();

        Assert.Equal(Statuses.Count * Actions.Count, cells.Count);
        Assert.Equal(cells.Count, cells.Distinct().Count());
        Assert.Equal(11 * 19, cells.Count);
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void Each_action_leads_where_the_table_says_or_nowhere(IncidentStatus from, IncidentAction action, IncidentStatus? expected)
    {
        Assert.Equal(expected, Lifecycle.Next(from, action, OnePersonAfter(action)));
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void Outside_dispatch_acknowledge_and_decline_the_team_makes_no_difference(IncidentStatus from, IncidentAction action, IncidentStatus? expected)
    {
        if (action is IncidentAction.Dispatch or IncidentAction.Acknowledge or IncidentAction.Decline) return;
        foreach (var team in new[] { Team.None, new Team(1, 0), new Team(1, 1), new Team(3, 1), new Team(2, 2) })
            Assert.Equal(expected, Lifecycle.Next(from, action, team));
    }

    [Theory]
    [InlineData(2, 0, IncidentStatus.Dispatched)]    // nobody has answered yet
    [InlineData(2, 1, IncidentStatus.Dispatched)]    // the grid worker said yes, the mediators not yet
    [InlineData(3, 2, IncidentStatus.Dispatched)]
    [InlineData(2, 2, IncidentStatus.Acknowledged)]  // the last live member said yes
    [InlineData(3, 3, IncidentStatus.Acknowledged)]
    public void A_composite_team_acknowledges_member_by_member(int live, int acknowledged, IncidentStatus expected)
    {
        Assert.Equal(expected, Lifecycle.Next(IncidentStatus.Dispatched, IncidentAction.Acknowledge, new Team(live, acknowledged)));
    }

    [Theory]
    [InlineData(0, 0, IncidentStatus.Accepted)]      // everybody declined: back to the dispatcher
    [InlineData(1, 0, IncidentStatus.Dispatched)]    // someone has still to answer
    [InlineData(2, 1, IncidentStatus.Dispatched)]
    [InlineData(1, 1, IncidentStatus.Acknowledged)]  // everybody left has acknowledged
    [InlineData(2, 2, IncidentStatus.Acknowledged)]
    public void A_decline_leaves_the_team_dispatched_acknowledged_or_if_nobody_is_left_accepted(int live, int acknowledged, IncidentStatus expected)
    {
        Assert.Equal(expected, Lifecycle.Next(IncidentStatus.Dispatched, IncidentAction.Decline, new Team(live, acknowledged)));
    }

    [Theory]
    [InlineData(IncidentStatus.Accepted, 1, 0, IncidentStatus.Dispatched)]
    [InlineData(IncidentStatus.Accepted, 2, 0, IncidentStatus.Dispatched)]
    [InlineData(IncidentStatus.Dispatched, 2, 1, IncidentStatus.Dispatched)]   // a replacement joins a team still answering
    [InlineData(IncidentStatus.Acknowledged, 2, 1, IncidentStatus.Dispatched)] // a newcomer has to answer before the team is whole again
    public void Dispatching_more_people_waits_for_their_answer(IncidentStatus from, int live, int acknowledged, IncidentStatus expected)
    {
        Assert.Equal(expected, Lifecycle.Next(from, IncidentAction.Dispatch, new Team(live, acknowledged)));
    }

    [Fact]
    public void A_team_of_nobody_has_not_acknowledged()
    {
        Assert.False(Team.None.AllAcknowledged);
        Assert.True(new Team(2, 2).AllAcknowledged);
        Assert.False(new Team(2, 1).AllAcknowledged);
    }

    static readonly IncidentStatus[] Active =
        [IncidentStatus.Reported, IncidentStatus.Accepted, IncidentStatus.Dispatched, IncidentStatus.Acknowledged, IncidentStatus.OnScene];

    [Fact]
    public void Escalation_climbs_village_township_district_city_and_stops_at_the_city()
    {
        Assert.Equal("410611001", Centres.Parent("410611001001"));
        Assert.Equal("410611", Centres.Parent("410611001"));
        Assert.Equal("410600", Centres.Parent("410611"));
        Assert.Null(Centres.Parent("410600"));
        foreach (var status in Enum.GetValues<IncidentStatus>())
        {
            var expected = Active.Contains(status) ? IncidentStatus.Escalated : (IncidentStatus?)null;
            Assert.Equal(expected, Lifecycle.Next(status, IncidentAction.Escalate, new Team(1, 0), "village"));
            Assert.Equal(expected, Lifecycle.Next(status, IncidentAction.Escalate, new Team(1, 0), "township"));
            Assert.Equal(expected, Lifecycle.Next(status, IncidentAction.Escalate, new Team(1, 0), "district"));
            Assert.Null(Lifecycle.Next(status, IncidentAction.Escalate, new Team(1, 0), "city"));
        }
    }

    [Fact]
    public void A_superior_centre_pulls_up_an_open_case_and_it_keeps_its_status()
    {
        foreach (var status in Enum.GetValues<IncidentStatus>())
        {
            var expected = Active.Contains(status) || status == IncidentStatus.Escalated ? status : (IncidentStatus?)null;
            Assert.Equal(expected, Lifecycle.Next(status, IncidentAction.PullUp, new Team(1, 0), "village"));
        }
        Assert.True(Centres.Above("410611", "410611001001"));
        Assert.True(Centres.Above("410600", "410621"));
        Assert.False(Centres.Above("410611001001", "410611001001"));
        Assert.False(Centres.Above("410621", "410611001001"));
    }

    [Fact]
    public void Only_the_escalation_depends_on_the_level()
    {
        foreach (var status in Enum.GetValues<IncidentStatus>())
        foreach (var action in Enum.GetValues<IncidentAction>().Where(a => a != IncidentAction.Escalate))
            Assert.Equal(Lifecycle.Next(status, action, new Team(1, 0), "township"), Lifecycle.Next(status, action, new Team(1, 0), "city"));
    }

    [Fact]
    public void The_team_is_released_when_its_work_is_over()
    {
        var releasing = Enum.GetValues<IncidentStatus>().Where(Lifecycle.ReleasesTeam);
        Assert.Equal([IncidentStatus.Resolved, IncidentStatus.Escalated, IncidentStatus.Cancelled], releasing);
    }

    [Fact]
    public void Members_answer_for_themselves_and_report_from_the_scene()
    {
        Assert.Equal([IncidentAction.Acknowledge, IncidentAction.Decline], Enum.GetValues<IncidentAction>().Where(Lifecycle.IsMemberAction));
        Assert.Equal([IncidentAction.Acknowledge, IncidentAction.Decline, IncidentAction.Arrive, IncidentAction.Resolve],
            Enum.GetValues<IncidentAction>().Where(Lifecycle.IsFieldAction));
    }
}
