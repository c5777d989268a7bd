using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Incidents;
using Npgsql;

namespace Dispatch.Tests.Security;

/// <summary>A point to report from: a grid's service point.</summary>
public sealed record ServicePoint(string GridCode, double Lon, double Lat);

/// <summary>The few steps the security tests take through the incident API, said once.</summary>
public static class Reports
{
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// A client that is signed in as nobody and stays so: it keeps no cookies (the fixture's
    /// <c>Anonymous</c> client keeps the cookie of every sign-in made through it).
    /// </summary>
    public static HttpClient Stranger(Uri address) =>
        new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(1) };

    /// <summary>The service point of the <paramref name="nth"/> grid (in code order) under a region code.</summary>
    public static async Task<ServicePoint> PlaceInAsync(NpgsqlDataSource db, string regionCode, int nth = 0)
    {
        await using var cmd = db.CreateCommand(
            "SELECT code, ST_X(service_point), ST_Y(service_point) FROM grid WHERE starts_with(code, $1) ORDER BY code OFFSET $2 LIMIT 1");
        cmd.Parameters.Add(new() { Value = regionCode });
        cmd.Parameters.Add(new() { Value = nth });
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync(), $"no grid under {regionCode}");
        return new ServicePoint(r.GetString(0), r.GetDouble(1), r.GetDouble(2));
    }

    public static async Task<IncidentView> ReportAsync(HttpClient client, ServicePoint place, string description = "安全测试：路灯损坏",
        string? reporterName = null, string? reporterPhone = null)
    {
        var response = await client.PostAsJsonAsync("/api/incidents", new
        {
            categoryCode = "accident", description, lon = place.Lon, lat = place.Lat, reporterName, reporterPhone,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<IncidentView>(Web))!;
    }

    public static Task<HttpResponseMessage> StepAsync(HttpClient client, long id, int version, string action, long[]? staffIds = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/incidents/{id}/transitions")
        {
            Content = JsonContent.Create(new { action, staffIds }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        return client.SendAsync(request);
    }

    public static async Task<IncidentView> StepOkAsync(HttpClient client, IncidentView incident, string action, long[]? staffIds = null)
    {
        var response = await StepAsync(client, incident.Id, incident.Version, action, staffIds);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{action}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<IncidentView>(Web))!;
    }

    /// <summary>Accepts the incident and dispatches it to the staff member with this code.</summary>
    public static async Task<IncidentView> DispatchToAsync(HttpClient dispatcher, NpgsqlDataSource db, IncidentView incident, string staffCode)
    {
        var accepted = await StepOkAsync(dispatcher, incident, "accept");
        return await StepOkAsync(dispatcher, accepted, "dispatch", [await StaffIdAsync(db, staffCode)]);
    }

    public static async Task<long> StaffIdAsync(NpgsqlDataSource db, string code)
    {
        await using var cmd = db.CreateCommand("SELECT id FROM staff WHERE code = $1");
        cmd.Parameters.Add(new() { Value = code });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>The incidents ever assigned to a staff member (any outcome of the assignment).</summary>
    public static async Task<HashSet<long>> AssignedToAsync(NpgsqlDataSource db, string staffCode)
    {
        await using var cmd = db.CreateCommand("SELECT a.incident_id FROM assignment a JOIN staff s ON s.id = a.staff_id WHERE s.code = $1");
        cmd.Parameters.Add(new() { Value = staffCode });
        var ids = new HashSet<long>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) ids.Add(r.GetInt64(0));
        return ids;
    }

    /// <summary>A grid worker's code whose account nobody else's test is likely to use: from the end of the list.</summary>
    public static async Task<string> QuietGridWorkerAsync(NpgsqlDataSource db, int nth)
    {
        await using var cmd = db.CreateCommand("SELECT code FROM staff WHERE kind = 'grid_worker' AND status = 'available' ORDER BY code DESC OFFSET $1 LIMIT 1");
        cmd.Parameters.Add(new() { Value = nth });
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Every page of the list the client may read, with the given filters.</summary>
    public static async Task<List<IncidentSummary>> ListAllAsync(HttpClient client, string query = "")
    {
        var all = new List<IncidentSummary>();
        for (var page = 1; ; page++)
        {
            var response = await client.GetAsync($"/api/incidents?pageSize=500&page={page}{(query.Length > 0 ? "&" + query : "")}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {await response.Content.ReadAsStringAsync()}");
            var items = (await response.Content.ReadFromJsonAsync<IncidentPage>(Web))!.Items;
            all.AddRange(items);
            if (items.Count < 500) return all;
        }
    }

    /// <summary>The smallest PNG signature the server accepts as a photo.</summary>
    public static MultipartFormDataContent Photo()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];
        var file = new ByteArrayContent(png);
        file.Headers.ContentType = new("image/png");
        return new MultipartFormDataContent { { file, "file", "scene.png" } };
    }
}
