using System.Net;
using System.Net.Http.Json;
using Dispatch.Server.Incidents;

namespace Dispatch.Tests;

public sealed partial class TestKit
{
    /// <summary>The body of a report from <paramref name="place"/>; without a description, one no other report has.</summary>
    public static object Report(Place place, string category = "safety", string? description = null,
        string? reporterName = null, string? reporterPhone = null) =>
        new
        {
            categoryCode = category, description = description ?? $"测试事件 {Guid.NewGuid():N}", lon = place.Lon, lat = place.Lat,
            reporterName, reporterPhone,
        };

    /// <summary>Files a report through <paramref name="client"/> and insists it is created.</summary>
    public static async Task<IncidentView> ReportAsync(HttpClient client, Place place, string category = "safety", string? description = null,
        string? reporterName = null, string? reporterPhone = null) =>
        await ReadAsync(
            await client.PostAsJsonAsync("/api/incidents", Report(place, category, description, reporterName, reporterPhone)), HttpStatusCode.Created);

    /// <summary>Files a report as <paramref name="reporter"/>, signed in once per run.</summary>
    public async Task<IncidentView> ReportAsync(Place place, string category = "safety", string? description = null, string reporter = Dispatcher) =>
        await ReportAsync(await ClientAsync(reporter), place, category, description);

    /// <summary>Reads the body as an incident after checking the status.</summary>
    public static Task<IncidentView> ReadAsync(HttpResponseMessage response, HttpStatusCode expected) => ReadAsync<IncidentView>(response, expected);

    public static async Task<IncidentView> GetAsync(HttpClient client, long id) =>
        await ReadAsync(await client.GetAsync($"/api/incidents/{id}"), HttpStatusCode.OK);

    public async Task<IncidentView> GetAsync(long id) => await GetAsync(await ClientAsync(Dispatcher), id);

    /// <summary>Every page of the list the client may read, with the given filters.</summary>
    public static async Task<List<IncidentSummary>> ListAllAsync(HttpClient client, string query = "")
    {
        var all = new List<IncidentSummary>();
        for (var page = 1; ; page++)
        {
            var response = await client.GetAsync($"/api/incidents?pageSize=500&page={page}{(query.Length > 0 ? "&" + query : "")}");
            var items = (await ReadAsync<IncidentPage>(response, HttpStatusCode.OK)).Items;
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
