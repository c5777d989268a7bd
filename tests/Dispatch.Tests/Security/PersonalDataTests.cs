using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dispatch.Server.Database;
using Dispatch.Server.Incidents;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Dispatch.Tests.Security;

/// <summary>
/// A reporter's name and phone (PIPL personal information) are sealed before they reach the
/// database, never written to a log, and shown whole only to those who handle the case.
/// </summary>
public sealed class PersonalDataTests(LoggedPlatformFixture platform) : IClassFixture<LoggedPlatformFixture>
{
    const string Phone = "13912345678";
    const string MaskedPhone = "139****5678";

    /// <summary>The forms in which the secret could leak: as text, and as the hex pg_dump gives a bytea.</summary>
    static string[] Forms(string secret) => [secret, Convert.ToHexStringLower(Encoding.UTF8.GetBytes(secret))];

    [Fact]
    public async Task The_reporter_is_sealed_in_the_database_and_absent_from_a_dump_and_the_logs()
    {
        const string name = "欧阳晓测";
        var marker = $"隐私测试 {Guid.NewGuid():N}";
        var dispatcher = await platform.SignInAsync("city.dispatcher");
        var incident = await TestKit.ReportAsync(dispatcher, await TestKit.PlaceInAsync(platform.Db, "410602"), "accident", marker, name, Phone);
        Assert.Equal((name, Phone), (incident.ReporterName, incident.ReporterPhone));
        await (await platform.SignInAsync("wall")).GetAsync($"/api/incidents/{incident.Id}");
        await TestKit.StepAsync(await platform.SignInAsync(TestKit.CentreDispatcher(incident)), incident, "accept");

        await using (var cmd = platform.Db.CreateCommand("SELECT reporter_name, reporter_phone FROM incident WHERE id = $1"))
        {
            cmd.Parameters.Add(new() { Value = incident.Id });
            await using var r = await cmd.ExecuteReaderAsync();
            Assert.True(await r.ReadAsync());
            foreach (var (column, secret) in new[] { (0, name), (1, Phone) })
            {
                var stored = r.GetFieldValue<byte[]>(column);
                var plain = Encoding.UTF8.GetBytes(secret);
                Assert.Equal(1 + 12 + 16 + plain.Length, stored.Length); // version · nonce · tag · ciphertext
                Assert.Equal(-1, stored.AsSpan().IndexOf(plain));
            }
        }

        var dump = await DumpAsync();
        Assert.Contains(marker, dump); // the dump does hold the incident
        foreach (var form in Forms(Phone).Concat(Forms(name)))
            Assert.DoesNotContain(form, dump);
        AssertLogsClean(name);
    }

    [Fact]
    public async Task The_phone_is_whole_for_handlers_masked_for_onlookers_and_hidden_outside_the_region()
    {
        const string name = "司马测报";
        var dispatcher = await platform.SignInAsync("city.dispatcher");
        var incident = await TestKit.ReportAsync(dispatcher, await TestKit.PlaceInAsync(platform.Db, "410622", 3), "accident", reporterName: name, reporterPhone: Phone);
        var police = $"police-{incident.VillageCode}";
        await TestKit.DispatchToAsync(await platform.SignInAsync(TestKit.CentreDispatcher(incident)), platform.Db, incident, police);

        Assert.Equal((name, Phone), await ReporterAsSeenByAsync("city.dispatcher", incident.Id));
        Assert.Equal((name, Phone), await ReporterAsSeenByAsync($"supervisor-{incident.DistrictCode}", incident.Id));
        Assert.Equal((name, Phone), await ReporterAsSeenByAsync(police, incident.Id));
        Assert.Equal(("司***", MaskedPhone), await ReporterAsSeenByAsync("wall", incident.Id));
        Assert.Equal(("司***", MaskedPhone), await ReporterAsSeenByAsync($"gw-{incident.GridCode}", incident.Id));

        var outsider = await platform.SignInAsync("supervisor-410611");
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/incidents/{incident.Id}")).StatusCode);
        Assert.DoesNotContain(await TestKit.ListAllAsync(outsider), i => i.Id == incident.Id);
        AssertLogsClean(name);
    }

    [Fact]
    public async Task A_worker_who_declined_the_assignment_no_longer_sees_the_reporter_in_full()
    {
        const string name = "诸葛测拒";
        var dispatcher = await platform.SignInAsync("city.dispatcher");
        var incident = await TestKit.ReportAsync(dispatcher, await TestKit.PlaceInAsync(platform.Db, "410603", 2), "accident", reporterName: name, reporterPhone: Phone);
        var far = await TestKit.PlaceInAsync(platform.Db, "410603", 40);
        var worker = $"gw-{far.GridCode}";
        // The far worker may be outside the township's area: the city pulls the case up to send them.
        incident = await TestKit.StepAsync(dispatcher, incident, "pull_up");
        var dispatched = await TestKit.DispatchToAsync(dispatcher, platform.Db, incident, worker);
        Assert.Equal((name, Phone), await ReporterAsSeenByAsync(worker, incident.Id));

        await TestKit.StepAsync(await platform.SignInAsync(worker), dispatched, "decline");

        // The worker still sees the case they were once sent to (their history), but as an onlooker.
        Assert.Equal(("诸***", MaskedPhone), await ReporterAsSeenByAsync(worker, incident.Id));
    }

    async Task<(string?, string?)> ReporterAsSeenByAsync(string username, long id)
    {
        var response = await (await platform.SignInAsync(username)).GetAsync($"/api/incidents/{id}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{username}: {(int)response.StatusCode}");
        var view = (await response.Content.ReadFromJsonAsync<IncidentView>(TestKit.Web))!;
        return (view.ReporterName, view.ReporterPhone);
    }

    void AssertLogsClean(string name)
    {
        var lines = platform.Logs.Lines.ToList();
        // The capture really sees the requests and the SQL sent for them, at the levels below the console's.
        Assert.Contains(lines, l => l.Contains("/api/incidents", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Debug Npgsql.Command", StringComparison.Ordinal) && l.Contains("INSERT INTO incident", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Trace", StringComparison.Ordinal));
        foreach (var form in Forms(Phone).Concat(Forms(name)))
            Assert.DoesNotContain(lines, l => l.Contains(form, StringComparison.Ordinal));
    }

    /// <summary>A plain-SQL dump of the test database, as the cluster's owner takes it.</summary>
    async Task<string> DumpAsync()
    {
        var address = new NpgsqlConnectionStringBuilder(platform.Services.GetRequiredService<DatabaseAddress>().ConnectionString);
        const string pgDump = "/usr/lib/postgresql/15/bin/pg_dump";
        string[] args = ["-h", address.Host!, "-p", address.Port.ToString(), "-U", address.Username!, "-d", address.Database!];
        var info = Environment.IsPrivilegedProcess ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", pgDump, .. args]) : new ProcessStartInfo(pgDump, args);
        info.RedirectStandardOutput = info.RedirectStandardError = true;
        info.WorkingDirectory = "/";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"pg_dump failed: {await stderr}");
        return await stdout;
    }
}
