namespace Dispatch.Server.Security;

/// <summary>
/// Refuses requests another site makes a signed-in browser send — a form posted to
/// <c>/api/incidents/{id}/photos</c> or <c>/hangfire</c>, a WebSocket opened to the hub — by the
/// headers browsers attach and pages cannot forge (the algorithm of Go's CrossOriginProtection
/// and ASP.NET 11's): safe methods pass, except on the hub, whose WebSocket opens with a GET;
/// <c>Sec-Fetch-Site: same-origin</c> or <c>none</c> passes and any other site, even the same
/// site, is refused; without it, an <c>Origin</c> must be this server's own; without either the
/// request is not a browser's (a script, a phone app) and passes. The SameSite=Strict cookie alone
/// would let a sibling subdomain through.
/// </summary>
public sealed class CrossOriginGuard(RequestDelegate next, IConfiguration config)
{
    readonly HashSet<string> _trusted = (config["Security:TrustedOrigins"] ?? "")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(o => o.TrimEnd('/')).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public Task InvokeAsync(HttpContext http) =>
        Allowed(http.Request) ? next(http)
            : Problems.Forbidden("拒绝来自其他网站的请求（跨站请求伪造防护）。").ExecuteAsync(http);

    bool Allowed(HttpRequest request)
    {
        var hub = request.Path.StartsWithSegments("/hubs");
        if (!hub && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))) return true;
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && _trusted.Contains(origin)) return true;
        switch (request.Headers["Sec-Fetch-Site"].ToString())
        {
            case "same-origin" or "none": return true;
            case { Length: > 0 }: return false;
        }
        if (origin.Length == 0) return true;
        return Uri.TryCreate(origin, UriKind.Absolute, out var from)
               && string.Equals(from.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
               && string.Equals(from.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
