using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests;

/// <summary>
/// The OpenAPI document against the routes the server really maps: a route added without its
/// description fails here, not in an integrator's client generator.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OpenApiTests(PlatformFixture platform)
{
    /// <summary>Routes that are not the API: the document itself, its browser, the jobs dashboard, health, the hub, the web app.</summary>
    static bool IsApi(string pattern) =>
        (pattern.StartsWith("/api/", StringComparison.Ordinal) || pattern.StartsWith("/tiles/", StringComparison.Ordinal)) && !pattern.Contains("{**", StringComparison.Ordinal);

    [Fact]
    public async Task Every_route_is_described_with_its_answer_its_problems_and_who_may_call_it()
    {
        var routes = platform.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/'), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []))
            .Where(r => IsApi(r.Pattern) && r.Methods.Count > 0)
            .ToList();
        Assert.True(routes.Count >= 30, $"only {routes.Count} API routes found: the filter is wrong");

        using var doc = JsonDocument.Parse(await platform.Anonymous.GetStringAsync("/openapi/v1.json"));
        var root = doc.RootElement;
        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        Assert.True(schemes.TryGetProperty("bearer", out var bearer), "no bearer security scheme");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.True(schemes.TryGetProperty("cookie", out _), "no cookie security scheme");
        Assert.True(root.GetProperty("components").GetProperty("schemas").TryGetProperty("ProblemDetails", out _), "no ProblemDetails schema");

        var missing = new List<string>();
        foreach (var (endpoint, pattern, methods) in routes)
        foreach (var method in methods)
        {
            var where = $"{method} {pattern}";
            var path = Strip(pattern);
            if (!root.GetProperty("paths").TryGetProperty(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out var op))
            {
                missing.Add($"{where}: not in the document");
                continue;
            }
            var responses = op.GetProperty("responses");
            var codes = responses.EnumerateObject().Select(p => p.Name).ToList();
            if (!codes.Any(c => c.StartsWith('2')))
                missing.Add($"{where}: no success response");
            if (!codes.Any(c => c.StartsWith('4')))
                missing.Add($"{where}: no problem response");
            foreach (var problem in responses.EnumerateObject().Where(p => p.Name.StartsWith('4') || p.Name.StartsWith('5')))
                if (!problem.Value.TryGetProperty("content", out var content) || !content.TryGetProperty("application/problem+json", out _))
                    missing.Add($"{where}: {problem.Name} is not a problem+json answer");
            var open = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            if (!open && !(codes.Contains("401") && op.TryGetProperty("security", out var security) && security.GetArrayLength() > 0))
                missing.Add($"{where}: signed-in route without 401 and a security requirement");
        }
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    /// <summary>The document writes route parameters without their constraints (<c>{id:long}</c> is <c>{id}</c>) and a group's root without its slash.</summary>
    static string Strip(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, @"\{(\w+)(:[^}]*)?\}", "{$1}").TrimEnd('/');
}
