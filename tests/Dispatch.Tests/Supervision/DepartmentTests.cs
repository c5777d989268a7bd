using System.Net;
using System.Net.Http.Json;
using Dispatch.Server.Departments;
using Dispatch.Server.Incidents;

namespace Dispatch.Tests.Supervision;

/// <summary>多部门联动 (docs/api.md, "Departments"): a department accepts, returns and completes a handed-off case, and sees only its own, masked.</summary>
[Collection(PlatformCollection.Name)]
public sealed class DepartmentTests(PlatformFixture platform)
{
    readonly TestKit _kit = new(platform);

    async Task<(IncidentView Incident, HttpClient Centre)> AcceptedAsync()
    {
        var place = await _kit.FreshPlaceAsync();
        var city = await _kit.ClientAsync(TestKit.Dispatcher);
        var filed = await TestKit.ReadAsync<IncidentView>(await city.PostAsJsonAsync("/api/incidents", new
        {
            categoryCode = "dispute.wages", description = "某工地拖欠二十名农民工工资三个月。", lon = place.Lon, lat = place.Lat,
            source = "hotline", reporterName = "刘振华", reporterPhone = "13812345678",
        }), HttpStatusCode.Created);
        return (await _kit.StepAsync(filed, "accept"), await _kit.ClientAsync(TestKit.CentreDispatcher(filed)));
    }

    static object Task(string department) => new { departmentCode = department, instructions = "请核实欠薪情况并督促支付。", deadline = DateTimeOffset.UtcNow.AddDays(5) };

    [Fact]
    public async Task A_department_returns_one_task_accepts_another_reports_and_the_centre_verifies()
    {
        var (incident, centre) = await AcceptedAsync();
        var zhujian = await _kit.ClientAsync("dept-zhujian");
        var renshe = await _kit.ClientAsync("dept-renshe");

        // Handed to 住建 first: not theirs, returned with a reason.
        var first = await TestKit.ReadAsync<DepartmentTaskView>(await centre.PostAsJsonAsync($"/api/incidents/{incident.Id}/departments", Task("zhujian")),
            HttpStatusCode.Created);
        await TestKit.ProblemAsync(await zhujian.PostAsJsonAsync($"/api/departments/tasks/{first.Id}/return", new { }), HttpStatusCode.BadRequest);
        var returned = await TestKit.ReadAsync<DepartmentTaskView>(await zhujian.PostAsJsonAsync($"/api/departments/tasks/{first.Id}/return",
            new { note = "欠薪问题属人社部门职责。" }), HttpStatusCode.OK);
        Assert.Equal(("returned", "欠薪问题属人社部门职责。"), (returned.Status, returned.Reason));

        // Then to 人社: accepted, reported, verified by the centre.
        var second = await TestKit.ReadAsync<DepartmentTaskView>(await centre.PostAsJsonAsync($"/api/incidents/{incident.Id}/departments", Task("renshe")),
            HttpStatusCode.Created);
        await TestKit.ProblemAsync(await centre.PostAsJsonAsync($"/api/incidents/{incident.Id}/departments", Task("renshe")), HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.NotFound, (await zhujian.PostAsJsonAsync($"/api/departments/tasks/{second.Id}/accept", new { })).StatusCode);
        await TestKit.ProblemAsync(await renshe.PostAsJsonAsync($"/api/departments/tasks/{second.Id}/report", new { note = "已办" }), HttpStatusCode.Conflict);
        Assert.Equal("accepted", (await TestKit.ReadAsync<DepartmentTaskView>(await renshe.PostAsJsonAsync($"/api/departments/tasks/{second.Id}/accept", new { }),
            HttpStatusCode.OK)).Status);
        var reported = await TestKit.ReadAsync<DepartmentTaskView>(await renshe.PostAsJsonAsync($"/api/departments/tasks/{second.Id}/report",
            new { note = "已责令施工单位于 12 月 10 日前足额支付，劳动监察大队跟踪。" }), HttpStatusCode.OK);
        Assert.Equal("reported", reported.Status);
        var verified = await TestKit.ReadAsync<DepartmentTaskView>(await centre.PostAsJsonAsync($"/api/departments/tasks/{second.Id}/verify",
            new { accepted = true }), HttpStatusCode.OK);
        Assert.Equal("verified", verified.Status);

        // The department sees its case, with the reporter masked, and nothing else; it takes no lifecycle step.
        var seen = await TestKit.GetAsync(renshe, incident.Id);
        Assert.Equal(("刘**", "138****5678"), (seen.ReporterName, seen.ReporterPhone));
        Assert.Equal(HttpStatusCode.Forbidden, (await TestKit.TakeAsync(renshe, seen, "resolve")).StatusCode);
        var other = await _kit.ReportAsync(await _kit.FreshPlaceAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await renshe.GetAsync($"/api/incidents/{other.Id}")).StatusCode);
        var tasks = await renshe.GetFromJsonAsync<List<DepartmentTaskView>>("/api/departments/tasks", TestKit.Web);
        Assert.All(tasks!, t => Assert.Equal("renshe", t.DepartmentCode));
    }

    [Fact]
    public async Task Only_the_responsible_centre_hands_a_case_to_a_department_and_bad_input_is_named()
    {
        var (incident, centre) = await AcceptedAsync();
        var city = await _kit.ClientAsync(TestKit.Dispatcher);
        await TestKit.ProblemAsync(await city.PostAsJsonAsync($"/api/incidents/{incident.Id}/departments", Task("renshe")), HttpStatusCode.Forbidden);
        var bad = await centre.PostAsJsonAsync($"/api/incidents/{incident.Id}/departments", new { departmentCode = "nasa", instructions = "", deadline = "2020-01-01T00:00:00+08:00" });
        Assert.Equal(["deadline", "instructions"], (await TestKit.ProblemAsync(bad, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        var unknown = await centre.PostAsJsonAsync($"/api/incidents/{incident.Id}/departments", Task("nasa"));
        Assert.True((await TestKit.ProblemAsync(unknown, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("departmentCode", out _));
    }
}
