using System.Net;
using System.Text.Json;
using Dispatch.Server.Cli;
using Dispatch.Server.Privacy;
using Dispatch.Simulation.History;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Simulation;

/// <summary>
/// The history generator: a past that is the same for the same seed and keeps the platform's own
/// rules (the ladder's order of steps, the deadlines in force, one live assignment per worker),
/// and its writer, whose bulk load the KPIs read like any other incidents.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class HistoryTests(PlatformFixture platform)
{
    static readonly DateTimeOffset Until = new(2019, 3, 5, 0, 0, 0, TimeSpan.FromHours(8));

    static readonly string[] Ladder = ["report", "accept", "dispatch", "acknowledge", "arrive", "resolve", "verify", "close"];

    static List<PastCase> Generate(int seed, int days = 20, double rate = 400)
    {
        var places = Enumerable.Range(0, 30).Select(i => new HistoryPlace($"4106021000{i / 3 + 10:D2}{i % 3 + 1:D3}", $"测试村第{i % 3 + 1}网格",
            114.3 + i * 0.001, 35.7, new Dictionary<string, (long, string)>
            {
                ["grid_worker"] = (1000 + i, $"gw-{i}"), ["police"] = (2000 + i / 3, $"police-{i / 3}"),
                ["mediator"] = (3000 + i / 3, $"mediator-{i / 3}"), ["legal_adviser"] = (4000 + i / 3, $"legal-{i / 3}"),
            })).ToList();
        var categories = Dispatch.Simulation.CityMix.Kinds.Select(k => k.Code).Append("petition.beyond_township").ToDictionary(c => c, c =>
            new HistoryCategory(c, c.StartsWith("criminal") ? 1 : 3, 30, 120, 1440, c == "criminal" ? "district" : "village",
                c.StartsWith("criminal") ? ["police"] : ["grid_worker", "mediator"]));
        return new HistoryGenerator(new HistoryOptions { Days = days, RatePerDay = rate, Seed = seed, Until = Until }, places, categories).Cases().ToList();
    }

    [Fact]
    public void The_past_is_the_same_for_the_same_seed_and_keeps_the_platforms_rules()
    {
        var cases = Generate(7);
        string Print(IEnumerable<PastCase> c) => string.Join('|', c.Select(x => $"{x.Place.Grid},{x.Category.Code},{x.ReportedAt:O},{x.Status},{x.Steps.Count}"));
        Assert.Equal(Print(cases), Print(Generate(7)));
        Assert.NotEqual(Print(cases), Print(Generate(8)));
        Assert.InRange(cases.Count, 20 * 400 * 0.85, 20 * 400 * 1.15); // the rate, with the week's rhythm

        foreach (var c in cases)
        {
            Assert.Equal("report", c.Steps[0].Action);
            Assert.All(c.Steps.Zip(c.Steps.Skip(1)), p => Assert.Equal(p.First.To, p.Second.From)); // each step starts where the last left off
            Assert.All(c.Steps.Zip(c.Steps.Skip(1)), p => Assert.True(p.First.At <= p.Second.At));
            Assert.True(c.Steps[^1].At <= Until);
            Assert.Equal(c.Steps[^1].To, c.Status);
            // The deadline in force when accepting is the report's accept clock, as the live server records it.
            if (c.Steps.FirstOrDefault(s => s.Action == "accept") is { } accept) Assert.Equal(c.ReportedAt.AddMinutes(c.Category.AcceptMinutes), accept.DueAt);
            if (c.Status == "closed" && c.Escalation is null && !c.Steps.Any(s => s.Action == "rework"))
                Assert.Equal(Ladder, c.Steps.Select(s => s.Action));
            if (c.FollowUp is { } f) Assert.Equal("close", c.Steps[f.ClosingStep].Action);
            if (c.Escalation is { } e) Assert.Equal((e.ToCentre, "township"), (c.Centre, c.Level));
        }
        // Open work at the end of the past waits in its centre's queue: nobody is left on a case in the field.
        Assert.DoesNotContain(cases, c => c.Assignment is { Live: true } || c.Status is "dispatched" or "acknowledged" or "on_scene");
        Assert.Contains(cases, c => c.Status == "accepted" && c.Steps[^1].At > Until.AddDays(-1));
        // Waiting for dispatch at the handover is not yet late: none of it is past its arrive clock.
        Assert.All(cases.Where(c => c.Status == "accepted"), c => Assert.True(c.DueAt > Until, $"{c.Category.Code} due {c.DueAt:O}"));
        // Most work meets its clocks, some does not; some is sent back, escalated, supervised and followed up.
        var resolves = cases.SelectMany(c => c.Steps).Where(s => s.Action == "resolve").ToList();
        Assert.InRange(resolves.Count(s => s.At <= s.DueAt) / (double)resolves.Count, 0.80, 0.97);
        Assert.Contains(cases, c => c.Steps.Any(s => s.Action == "rework"));
        Assert.Contains(cases, c => c.Escalation is not null);
        Assert.Contains(cases, c => c.Order is not null);
        Assert.Contains(cases, c => c.FollowUp is { Result: "unsatisfied" });
        Assert.Contains(cases, c => c.Category.Code == "petition.beyond_township");
    }

    [Fact]
    public async Task Written_history_is_read_by_the_kpis_and_announces_nothing_live()
    {
        var outbox = await platform.QueryScalarAsync<long>("SELECT coalesce(max(seq), 0) FROM outbox");
        var lines = new List<string>();
        var options = new HistoryOptions { Days = 4, RatePerDay = 300, Seed = 11, Until = Until };
        var written = await GenerateHistoryCommand.WriteAsync(platform.Db, platform.Services.GetRequiredService<PersonalData>(), options, lines.Add,
            CancellationToken.None);

        const string window = "created_at >= '2019-03-01T00:00+08' AND created_at < '2019-03-05T00:00+08'";
        Assert.InRange(written, 900, 1500);
        Assert.Equal(written, await platform.QueryScalarAsync<long>($"SELECT count(*) FROM incident WHERE {window}"));
        Assert.Contains(lines, l => l.StartsWith("完成", StringComparison.Ordinal));
        Assert.Equal(outbox, await platform.QueryScalarAsync<long>("SELECT coalesce(max(seq), 0) FROM outbox")); // history arrives at the next read
        // Every follow-up hangs on its case's close; every step on a case of the window; reporters sealed, never in clear.
        Assert.Equal(0, await platform.QueryScalarAsync<long>($"""
            SELECT count(*) FROM follow_up f JOIN incident_event e ON e.id = f.closing_event
            WHERE (e.action <> 'close' OR e.incident_id <> f.incident_id) AND f.incident_id IN (SELECT id FROM incident WHERE {window})
            """));
        Assert.True(await platform.QueryScalarAsync<long>($"SELECT count(*) FROM follow_up f JOIN incident i ON i.id = f.incident_id WHERE i.{window}") > 50);
        // What the database derives on insert holds for a bulk load too: a follow-up's grid is its case's, and
        // a step is marked as repeating an action of its case exactly when an earlier one exists (the response times).
        Assert.Equal(0, await platform.QueryScalarAsync<long>($"""
            SELECT count(*) FROM follow_up f JOIN incident i ON i.id = f.incident_id WHERE i.{window} AND f.grid_code <> i.grid_code
            """));
        Assert.Equal(0, await platform.QueryScalarAsync<long>($"""
            SELECT count(*) FROM incident_event e JOIN incident i ON i.id = e.incident_id
            WHERE i.{window} AND e.repeated <> EXISTS (
                SELECT 1 FROM incident_event x WHERE x.incident_id = e.incident_id AND x.action = e.action AND x.id < e.id)
            """));
        Assert.True(await platform.QueryScalarAsync<long>($"SELECT count(*) FROM incident_event e JOIN incident i ON i.id = e.incident_id WHERE i.{window} AND e.action = 'rework'") > 0);
        Assert.Equal(0, await platform.QueryScalarAsync<long>($"SELECT count(*) FROM incident WHERE {window} AND encode(reporter_phone, 'escape') ~ '1[3-9][0-9]{{9}}'"));
        var sealedPhone = await platform.QueryScalarAsync<byte[]>($"SELECT reporter_phone FROM incident WHERE {window} AND reporter_phone IS NOT NULL LIMIT 1");
        Assert.Matches("^1[3-9][0-9]{9}$", platform.Services.GetRequiredService<PersonalData>().Unprotect(sealedPhone));

        // The KPIs of those days count exactly the written cases and their steps.
        var supervisor = await platform.SignInAsync("supervisor");
        var kpis = await TestKit.ReadAsync<JsonElement>(await supervisor.GetAsync("/api/kpis?from=2019-03-01&to=2019-03-04"), HttpStatusCode.OK);
        var figures = kpis.GetProperty("figures");
        Assert.Equal(written, figures.GetProperty("reported").GetInt64());
        Assert.Equal(await platform.QueryScalarAsync<long>($"""
            SELECT count(*) FROM incident_event WHERE action = 'resolve' AND at >= '2019-03-01T00:00+08' AND at < '2019-03-05T00:00+08'
            """), figures.GetProperty("resolved").GetInt64());
        Assert.InRange(figures.GetProperty("resolveOnTimeRate").GetDouble(), 0.75, 0.98);
        Assert.True(figures.GetProperty("followUpsAnswered").GetInt64() > 0);
    }
}
