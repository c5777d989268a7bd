using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Security;

/// <summary>One request per route and method, its parameters filled with plausible values.</summary>
public sealed record RouteCall(string Method, string Path, RouteEndpoint Endpoint)
{
    public string Pattern => Endpoint.RoutePattern.RawText ?? "";
    public bool IsWrite => Method is not ("GET" or "HEAD" or "OPTIONS");
    public override string ToString() => $"{Method} {Pattern}";

    /// <summary>A body of the kind the route declares it accepts (so that routing picks this route, not a catch-all).</summary>
    public HttpContent? Body(object json) =>
        !IsWrite ? null
        : Endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.Contains("multipart/form-data") == true ? TestKit.Photo()
        : JsonContent.Create(json);
}

/// <summary>
/// Every route the running server maps, read from its <see cref="EndpointDataSource"/> rather
/// than listed by hand, so that a route added tomorrow is checked tomorrow.
/// </summary>
public static class Routes
{
    /// <param name="valueOf">The value for a route parameter (by route and name), or null for a default.</param>
    public static IReadOnlyList<RouteCall> Enumerate(IServiceProvider services, Func<RouteEndpoint, string, string?> valueOf) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => MethodsOf(e).Select(m => new RouteCall(m, PathOf(e, valueOf), e)))
            .DistinctBy(c => (c.Method, c.Pattern))
            .OrderBy(c => c.Pattern, StringComparer.Ordinal).ThenBy(c => c.Method, StringComparer.Ordinal)
            .ToList();

    /// <summary>The methods a route answers; one that answers any (health, catch-alls) is called with GET.</summary>
    static IEnumerable<string> MethodsOf(RouteEndpoint e) =>
        e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods ? methods : ["GET"];

    static string PathOf(RouteEndpoint e, Func<RouteEndpoint, string, string?> valueOf)
    {
        var path = new StringBuilder();
        foreach (var segment in e.RoutePattern.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
                path.Append(part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternSeparatorPart separator => separator.Content,
                    RoutePatternParameterPart p => Uri.EscapeDataString(valueOf(e, p.Name) ?? DefaultFor(p)),
                    _ => "",
                });
        }
        return path.Length == 0 ? "/" : path.ToString().Replace("%2F", "/");
    }

    static string DefaultFor(RoutePatternParameterPart p)
    {
        if (p.IsCatchAll) return "console/queue";
        var numeric = p.ParameterPolicies.Any(policy => policy.Content is "int" or "long" or "double" or "decimal" or "float");
        return numeric ? "1" : "x";
    }
}
