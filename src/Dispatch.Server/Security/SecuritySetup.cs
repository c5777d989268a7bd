using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Dispatch.Server.Security;

/// <summary>The defences at the server's edge (docs/security.md): forwarded headers, request limits, body size.</summary>
public static class SecuritySetup
{
    /// <summary>
    /// Behind a reverse proxy the client's address (audit, throttle) and scheme (HSTS, the cookie's
    /// Secure flag) come from <c>X-Forwarded-For</c> / <c>-Proto</c> / <c>-Host</c> — but only from
    /// the proxies named in <c>ForwardedHeaders:KnownProxies</c> (default: this machine, where a
    /// proxy usually runs) and networks in <c>ForwardedHeaders:KnownNetworks</c> (CIDR); from any
    /// other sender they are ignored, so a client cannot choose the address it is throttled by.
    /// </summary>
    public static void AddDispatchSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in List(builder.Configuration["ForwardedHeaders:KnownProxies"] ?? "127.0.0.1,::1"))
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in List(builder.Configuration["ForwardedHeaders:KnownNetworks"] ?? ""))
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        // Most routes take a little JSON; photos say more for themselves.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1 << 20);
        builder.AddDispatchRateLimits();
    }

    static string[] List(string setting) => setting.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
