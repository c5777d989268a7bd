using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dispatch.Server.Incidents;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Security;

/// <summary>
/// Every write route with a JSON body, sent bodies built from its own OpenAPI schema with every
/// value hostile — NUL bytes, 100,000-character strings, numbers past int32 and past int64, the
/// wrong types, arrays of 5,000, <c>null</c>, broken JSON — by the centre responsible for a real
/// case (so that the handlers, not only the area checks, read them) and by an admin. None may
/// answer 5xx, every refusal is a problem document, and nothing any of them sent is written.
/// A route added tomorrow is fuzzed tomorrow: the list comes from the document, not from here.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class HostileBodyTests(PlatformFixture platform)
{
    readonly TestKit _kit = new(platform);

    static readonly string[] Modes = ["nul", "long", "int32", "int64", "wrong", "many", "null", "broken"];

    /// <summary>The tables a write of these routes would touch, as counts and checksums: unchanged by hostile input.</summary>
    const string Snapshot = """
        SELECT concat_ws(' ',
            (SELECT count(*) FROM incident), (SELECT count(*) FROM department_task), (SELECT count(*) FROM supervision_order),
            (SELECT count(*) FROM conference), (SELECT count(*) FROM conference_item), (SELECT count(*) FROM duty_shift),
            (SELECT count(*) FROM incident_party), (SELECT count(*) FROM mediation), (SELECT count(*) FROM mediation_visit),
            (SELECT count(*) FROM escalation), (SELECT count(*) FROM hand_down),
            (SELECT md5(coalesce(string_agg(concat_ws(',', id, status, result, note), '|' ORDER BY id), '')) FROM follow_up),
            (SELECT count(*) FROM visit), (SELECT md5(coalesce(string_agg(concat_ws(',', visit_id, ordinal, incident_id), '|' ORDER BY visit_id, ordinal), '')) FROM visit_problem),
            (SELECT sum(households) FROM grid), (SELECT count(households_set_by) FROM grid),
            (SELECT md5(string_agg(c::text, '|' ORDER BY code)) FROM category c),
            (SELECT md5(coalesce(string_agg(p::text, '|' ORDER BY category_code, priority), '')) FROM category_priority_sla p),
            (SELECT md5(string_agg(concat_ws(',', username, roles::text, region_code, disabled_at, password_hash), '|' ORDER BY username)) FROM app_user),
            (SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY id), '')) FROM risk_assessment r), (SELECT count(*) FROM alert))
        """;

    [Fact]
    public async Task No_hostile_body_at_any_write_route_answers_5xx_or_writes_anything()
    {
        // A real case with its centre, a conference of that centre, a department task on the case.
        var incident = await _kit.BuildAsync(IncidentStatus.Accepted, await _kit.FreshPlaceAsync(), "dispute.neighbour");
        var centre = await _kit.ClientAsync(TestKit.CentreDispatcher(incident));
        var conference = await TestKit.ReadAsync<JsonElement>(await centre.PostAsJsonAsync("/api/conferences",
            new { title = "探测会", scheduledAt = DateTimeOffset.UtcNow.AddDays(1), attendees = new[] { "甲" } }), HttpStatusCode.Created);
        var task = await TestKit.ReadAsync<JsonElement>(await centre.PostAsJsonAsync($"/api/incidents/{incident.Id}/departments",
            new { departmentCode = "renshe", instructions = "请核实。", deadline = DateTimeOffset.UtcNow.AddDays(3) }), HttpStatusCode.Created);
        string IdFor(string path) =>
            path.StartsWith("/api/incidents/", StringComparison.Ordinal) ? incident.Id.ToString()
            : path.StartsWith("/api/conferences/", StringComparison.Ordinal) ? conference.GetProperty("id").GetInt64().ToString()
            : path.StartsWith("/api/departments/tasks/", StringComparison.Ordinal) ? task.GetProperty("id").GetInt64().ToString()
            : "1";

        using var doc = JsonDocument.Parse(await platform.Anonymous.GetStringAsync("/openapi/v1.json"));
        var schemas = doc.RootElement.GetProperty("components").GetProperty("schemas");
        var routes = WriteRoutes(doc.RootElement).ToList();
        Assert.True(routes.Count >= 18, $"only {routes.Count} write routes with a JSON body: the reading of the document is wrong");

        var before = await platform.QueryScalarAsync<string>(Snapshot);
        var limits = SizeLimits();
        Assert.Equal(16 << 10, limits.GetValueOrDefault(("POST", "/api/incidents/{id}/mediation"))); // the reading of the limits is right
        var failures = new List<string>();
        var named = new HashSet<string>(); // routes that answered a 400 naming a field: the bodies reached the handlers' checks
        foreach (var caller in new[] { centre, platform.Http })
        foreach (var (method, template, schema) in routes)
        {
            var path = System.Text.RegularExpressions.Regex.Replace(template, @"\{(\w+)(:[^}]*)?\}", m => m.Groups[1].Value switch
            {
                "id" => IdFor(template),
                "username" => "nobody-at-all", // never a real account: a body that slipped through would change it
                "code" => "no-such-category",
                var other => other,
            });
            foreach (var mode in Modes)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path)
                {
                    Content = mode switch
                    {
                        "null" => new StringContent("null", Encoding.UTF8, "application/json"),
                        "broken" => new StringContent("{\"a\":\u0000", Encoding.UTF8, "application/json"),
                        _ => new StringContent(Build(schema, schemas, mode, 0)?.ToJsonString() ?? "null", Encoding.UTF8, "application/json"),
                    },
                };
                request.Headers.TryAddWithoutValidation("If-Match", $"\"{incident.Version}\"");
                // A refusal that comes before the handler reads the body (403, 413) is then sent before the body is:
                // without it, a slow machine sometimes sees the server close while the client is still writing.
                request.Headers.ExpectContinue = true;
                var size = request.Content.Headers.ContentLength ?? (await request.Content.ReadAsByteArrayAsync()).Length;
                HttpResponseMessage response;
                try { response = await caller.SendAsync(request); }
                catch (HttpRequestException) when (size > limits.GetValueOrDefault((method, template), 1 << 20))
                {
                    // A body past the route's size limit may be cut off with a 413 before it is all sent, which the
                    // client reports as a broken connection: a refusal at the door, as long as the server is still there.
                    Assert.Equal(HttpStatusCode.OK, (await platform.Anonymous.GetAsync("/health/live")).StatusCode);
                    continue;
                }
                catch (HttpRequestException e)
                {
                    failures.Add($"{method} {template} [{mode}] ({size} bytes, limit {limits.GetValueOrDefault((method, template), 1 << 20)}) → connection broken: {e.InnerException?.Message ?? e.Message}");
                    continue;
                }
                using var answer = response;
                var code = (int)response.StatusCode;
                if (code >= 500) failures.Add($"{method} {template} [{mode}] → {code}: {await response.Content.ReadAsStringAsync()}");
                else if (code >= 400 && code != 413 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    failures.Add($"{method} {template} [{mode}] → {code} without a problem document");
                else if (code == 400 && (await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("errors", out _))
                    named.Add($"{method} {template}");
            }
        }
        Assert.Empty(failures);
        Assert.True(named.Count >= routes.Count * 3 / 4, $"only {named.Count} of {routes.Count} routes named a field: {string.Join(", ", named)}");
        Assert.Equal(before, await platform.QueryScalarAsync<string>(Snapshot));
    }

    /// <summary>Each route's body size limit (its RequestSizeLimit, else the server's 1 MB), by method and OpenAPI path.</summary>
    Dictionary<(string Method, string Path), long> SizeLimits()
    {
        var limits = new Dictionary<(string, string), long>();
        foreach (var endpoint in platform.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize is not { } limit) continue;
            var path = "/" + System.Text.RegularExpressions.Regex.Replace(endpoint.RoutePattern.RawText!.TrimStart('/'), @"\{(\w+):[^}]*\}", "{$1}");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []) limits[(method, path)] = limit;
        }
        return limits;
    }

    /// <summary>Writes whose body is JSON (multipart photos and bodiless steps have tests of their own); sign-in routes are left alone (their throttles are tested apart).</summary>
    static IEnumerable<(string Method, string Path, JsonElement Schema)> WriteRoutes(JsonElement root)
    {
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        foreach (var op in path.Value.EnumerateObject())
        {
            if (op.Name is not ("post" or "put" or "patch" or "delete") || path.Name.StartsWith("/api/auth", StringComparison.Ordinal)) continue;
            if (!op.Value.TryGetProperty("requestBody", out var body) || !body.GetProperty("content").TryGetProperty("application/json", out var json)) continue;
            yield return (op.Name.ToUpperInvariant(), path.Name, json.TryGetProperty("schema", out var schema) ? schema : default);
        }
    }

    /// <summary>A body of the schema's shape with every value hostile in the way <paramref name="mode"/> names.</summary>
    static JsonNode? Build(JsonElement schema, JsonElement schemas, string mode, int depth)
    {
        if (schema.ValueKind != JsonValueKind.Object) return new JsonObject();
        while (schema.TryGetProperty("$ref", out var reference)) schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
        foreach (var union in new[] { "oneOf", "anyOf" })
            if (schema.TryGetProperty(union, out var options))
                foreach (var option in options.EnumerateArray())
                    if (TypeOf(option, schemas) is not (null or "null")) return Build(option, schemas, mode, depth);
        switch (TypeOf(schema, schemas))
        {
            case "object" or null when schema.TryGetProperty("properties", out var properties):
                var obj = new JsonObject();
                if (depth < 4)
                    foreach (var p in properties.EnumerateObject()) obj[p.Name] = Build(p.Value, schemas, mode, depth + 1);
                return obj;
            case "array":
                var item = schema.TryGetProperty("items", out var items) ? Build(items, schemas, mode, depth + 1) : null;
                var array = new JsonArray();
                for (var i = 0; i < (mode == "many" ? 5000 : 2); i++) array.Add(item?.DeepClone());
                return array;
            case "string":
                return mode switch
                {
                    "long" => JsonValue.Create(new string('长', 100_000)),
                    "wrong" => JsonValue.Create(12345),
                    "int32" or "int64" => JsonValue.Create(schema.TryGetProperty("format", out var f) && f.GetString() == "date-time" ? "99999-01-01T00:00:00Z" : "-1"),
                    _ => JsonValue.Create("a\u0000b"),
                };
            case "integer" or "number":
                return mode switch
                {
                    "int32" => JsonValue.Create(2_147_483_648L),
                    "int64" => JsonNode.Parse("99999999999999999999999"),
                    "wrong" or "nul" => JsonValue.Create("a\u0000b"),
                    _ => JsonValue.Create(-2_147_483_648L),
                };
            case "boolean":
                return JsonValue.Create("a\u0000b");
            default:
                return JsonValue.Create("a\u0000b");
        }
    }

    static string? TypeOf(JsonElement schema, JsonElement schemas)
    {
        while (schema.TryGetProperty("$ref", out var reference)) schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
        if (!schema.TryGetProperty("type", out var type)) return schema.TryGetProperty("properties", out _) ? "object" : null;
        if (type.ValueKind == JsonValueKind.String) return type.GetString();
        return type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null") ?? "null";
    }
}
