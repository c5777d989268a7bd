using Microsoft.AspNetCore.Diagnostics;

namespace Dispatch.Server.Common;

/// <summary>
/// Kestrel's own refusals (a body over the endpoint's limit → 413, a malformed request → 400)
/// answered as problem details, not as a 500.
/// </summary>
public sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad) return false;
        http.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = Problems.TitleFor(bad.StatusCode),
                Detail = bad.StatusCode == 413 ? "请求体超过了该接口允许的大小。" : bad.Message,
            },
        });
    }
}
