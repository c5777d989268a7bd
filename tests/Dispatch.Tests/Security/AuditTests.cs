using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Audit;
using Dispatch.Server.Database;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Dispatch.Tests.Security;

/// <summary>
/// Every write and every refusal leaves a row — who, what, on what, with what outcome, from
/// where — that nobody can change or remove afterwards, and that only auditors and admins read.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AuditTests(PlatformFixture platform) : IDisposable
{
    readonly HttpClient _stranger = TestKit.Stranger(platform.Address);

    public void Dispose() => _stranger.Dispose();

    sealed record Row(string? Username, string Action, string? Target, int Outcome, string? Address);

    async Task<long> LastIdAsync() => await platform.QueryScalarAsync<long?>("SELECT max(id) FROM audit") ?? 0;

    /// <summary>The rows after <paramref name="after"/>; the row is written as the response completes, so wait a little for it.</summary>
    async Task<Row> RowAsync(long after, Func<Row, bool> match, string what)
    {
        var rows = new List<Row>();
        for (var deadline = DateTime.UtcNow.AddSeconds(5); DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            rows = await RowsAsync(after);
            if (rows.FirstOrDefault(match) is { } row) return row;
        }
        Assert.Fail($"no audit row for {what}; rows since: {string.Join("; ", rows)}");
        return null!;
    }

    async Task<List<Row>> RowsAsync(long after)
    {
        var rows = new List<Row>();
        await using var cmd = platform.Db.CreateCommand("SELECT username, action, target, outcome, address FROM audit WHERE id > $1 ORDER BY id");
        cmd.Parameters.Add(new() { Value = after });
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
            rows.Add(new Row(r.IsDBNull(0) ? null : r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetInt32(3),
                r.IsDBNull(4) ? null : r.GetString(4)));
        return rows;
    }

    [Fact]
    public async Task A_write_leaves_a_row_of_who_what_on_what_outcome_and_from_where()
    {
        var mark = await LastIdAsync();
        var dispatcher = await platform.SignInAsync("city.dispatcher");
        var incident = await TestKit.ReportAsync(dispatcher, await TestKit.PlaceInAsync(platform.Db, "410622"), "accident");
        // The city takes over the township's case (提级), then accepts it: both steps are its own.
        await TestKit.StepAsync(dispatcher, await TestKit.StepAsync(dispatcher, incident, "pull_up"), "accept");

        var created = await RowAsync(mark, r => r is { Username: "city.dispatcher", Action: "POST /api/incidents/", Outcome: 201 }, "the report");
        Assert.Equal((null, "127.0.0.1"), (created.Target, created.Address));
        var step = await RowAsync(mark, r => r.Action == "POST /api/incidents/{id:long}/transitions" && r.Target == $"id={incident.Id}", "the step");
        Assert.Equal(("city.dispatcher", 200, "127.0.0.1"), (step.Username, step.Outcome, step.Address));
    }

    [Fact]
    public async Task Refusals_leave_rows_and_plain_reads_do_not()
    {
        var mark = await LastIdAsync();
        var xun = await platform.SignInAsync("xun.dispatcher");
        var incident = await TestKit.ReportAsync(xun, await TestKit.PlaceInAsync(platform.Db, "410621", 7), "accident");
        Assert.Equal(HttpStatusCode.OK, (await xun.GetAsync($"/api/incidents/{incident.Id}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _stranger.GetAsync("/api/incidents")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await TestKit.TakeAsync(await platform.SignInAsync("wall"), incident, "accept")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await platform.SignInAsync("qibin.dispatcher")).GetAsync($"/api/incidents/{incident.Id}")).StatusCode);

        var stranger = await RowAsync(mark, r => r is { Action: "GET /api/incidents/", Outcome: 401 }, "the stranger");
        Assert.Equal((null, null, "127.0.0.1"), (stranger.Username, stranger.Target, stranger.Address));
        var wall = await RowAsync(mark, r => r is { Username: "wall", Outcome: 403 }, "the wall's write");
        Assert.Equal(("POST /api/incidents/{id:long}/transitions", $"id={incident.Id}"), (wall.Action, wall.Target));
        var outside = await RowAsync(mark, r => r is { Username: "qibin.dispatcher", Outcome: 404 }, "the out-of-area read");
        Assert.Equal(("GET /api/incidents/{id:long}", $"id={incident.Id}"), (outside.Action, outside.Target));
        Assert.DoesNotContain(await RowsAsync(mark), r => r is { Username: "xun.dispatcher", Action: "GET /api/incidents/{id:long}" });
    }

    [Fact]
    public async Task A_failed_sign_in_leaves_a_row_naming_the_account_tried()
    {
        var mark = await LastIdAsync();
        var username = await TestKit.QuietGridWorkerAsync(platform.Db, 19);
        var response = await _stranger.PostAsJsonAsync("/api/auth/login", new { username, password = "not-the-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        var row = await RowAsync(mark, r => r is { Action: "POST /api/auth/login", Outcome: 401 }, "the failed sign-in");
        Assert.Equal((username, "127.0.0.1"), (row.Username, row.Address));
    }

    [Fact]
    public async Task A_failed_sign_in_from_a_signed_in_browser_names_the_account_tried_not_the_session()
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = platform.Address };
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsJsonAsync("/api/auth/login", new { username = "wall", password = PlatformFixture.Password })).StatusCode);
        var mark = await LastIdAsync();
        var username = await TestKit.QuietGridWorkerAsync(platform.Db, 20);

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsJsonAsync("/api/auth/login", new { username, password = "guess" })).StatusCode);

        var row = await RowAsync(mark, r => r is { Action: "POST /api/auth/login", Outcome: 401 }, "the failed sign-in");
        Assert.Equal(username, row.Username);
    }

    [Fact]
    public async Task A_request_that_fails_inside_the_server_is_recorded_with_the_status_its_caller_got()
    {
        var mark = await LastIdAsync();
        var dispatcher = await platform.SignInAsync("city.dispatcher");
        var place = await TestKit.PlaceInAsync(platform.Db, "410603");

        // Just over the 1 MB limit, its length declared: Kestrel throws as the body is read, and a handler answers 413.
        var body = JsonSerializer.SerializeToUtf8Bytes(new { categoryCode = "accident", description = new string('x', 1_100_000), lon = place.Lon, lat = place.Lat });
        var oversized = await dispatcher.PostAsync("/api/incidents", new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
        var tooLarge = await RowAsync(mark, r => r is { Username: "city.dispatcher", Action: "POST /api/incidents/" }, "the oversized report");
        Assert.Equal(413, tooLarge.Outcome);

        // A note PostgreSQL cannot store (a NUL character): whatever the server answers, the row says the same.
        var incident = await TestKit.ReportAsync(dispatcher, place, "accident");
        var centre = await platform.SignInAsync(TestKit.CentreDispatcher(incident));
        var answered = (int)(await TestKit.PostTransitionAsync(centre, incident.Id, incident.ETag, new { action = "accept", note = "含\u0000字符" })).StatusCode;
        var step = await RowAsync(mark, r => r.Target == $"id={incident.Id}", "the step");
        Assert.Equal(answered, step.Outcome);
    }

    [Theory]
    [InlineData("UPDATE audit SET outcome = 200 WHERE outcome = 401")]
    [InlineData("DELETE FROM audit")]
    [InlineData("TRUNCATE audit")]
    public async Task The_application_role_cannot_change_or_remove_audit_rows(string sql)
    {
        await using var conn = await platform.Db.OpenConnectionAsync();
        await using (var role = new NpgsqlCommand("SET ROLE dispatch_app", conn)) await role.ExecuteNonQueryAsync();
        await using (var who = new NpgsqlCommand("SELECT current_user", conn))
            Assert.Equal(DatabaseSetup.ApplicationRole, await who.ExecuteScalarAsync());
        var before = await platform.QueryScalarAsync<long>("SELECT count(*) FROM audit");

        await using (var tx = await conn.BeginTransactionAsync())
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand(sql, conn, tx).ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
            Assert.Contains("permission denied", refused.MessageText);
        }
        Assert.True(await platform.QueryScalarAsync<long>("SELECT count(*) FROM audit") >= before);
    }

    [Theory]
    [InlineData("UPDATE audit SET outcome = 200 WHERE outcome = 401")]
    [InlineData("DELETE FROM audit")]
    [InlineData("TRUNCATE audit")]
    public async Task Not_even_the_table_owner_can_change_or_remove_audit_rows(string sql)
    {
        await using var owner = platform.Services.GetRequiredService<DatabaseAddress>().OwnerDataSource();
        await using var conn = await owner.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync(); // rolled back whatever happens

        var refused = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand(sql, conn, tx).ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task Only_auditors_and_admins_read_the_trail()
    {
        var auditor = await platform.SignInAsync("auditor");
        var rows = await auditor.GetFromJsonAsync<List<AuditRow>>("/api/audit?limit=50", TestKit.Web) ?? [];
        Assert.NotEmpty(rows);
        Assert.Equal(rows.OrderByDescending(r => r.Id).Select(r => r.Id), rows.Select(r => r.Id));
        Assert.Equal(HttpStatusCode.OK, (await platform.Http.GetAsync("/api/audit")).StatusCode);

        var mark = await LastIdAsync();
        foreach (var username in new[] { "city.dispatcher", "qibin.dispatcher", "supervisor", "wall" })
            Assert.Equal(HttpStatusCode.Forbidden, (await (await platform.SignInAsync(username)).GetAsync("/api/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _stranger.GetAsync("/api/audit")).StatusCode);

        await RowAsync(mark, r => r is { Username: "city.dispatcher", Action: "GET /api/audit", Outcome: 403 }, "the refused read");
        var walls = await auditor.GetFromJsonAsync<List<AuditRow>>("/api/audit?username=wall", TestKit.Web);
        Assert.Contains(walls!, r => r is { Action: "GET /api/audit", Outcome: 403 } && r.Id > mark);
        Assert.All(walls!, r => Assert.Equal("wall", r.Username));
    }
}
