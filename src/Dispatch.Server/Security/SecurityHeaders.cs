namespace Dispatch.Server.Security;

/// <summary>
/// Headers every answer carries. The screens load nothing from elsewhere, so the content policy
/// names only this origin (MapLibre's worker and the camera's previews are blob: URLs, the QR code
/// of a second-factor enrolment a data: image); the API browser and the jobs dashboard, which come
/// with inline scripts of their own, get the same policy with inline scripts allowed. No page may
/// frame ours. HSTS only over HTTPS (behind a proxy: once its <c>X-Forwarded-Proto</c> is trusted).
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    const string Common = "default-src 'self'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; font-src 'self' data:; "
                          + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    const string App = $"{Common}; script-src 'self'; style-src 'self' 'unsafe-inline'";
    const string Tools = $"{Common}; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'";

    public Task InvokeAsync(HttpContext http)
    {
        http.Response.OnStarting(() =>
        {
            var h = http.Response.Headers;
            var tools = http.Request.Path.StartsWithSegments("/scalar") || http.Request.Path.StartsWithSegments("/hangfire");
            h.ContentSecurityPolicy = tools ? Tools : App;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "no-referrer";
            h["Cross-Origin-Opener-Policy"] = "same-origin";
            h["Permissions-Policy"] = "geolocation=(self), camera=(self), microphone=(), payment=(), usb=()";
            if (http.Request.IsHttps) h.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            return Task.CompletedTask;
        });
        return next(http);
    }
}
