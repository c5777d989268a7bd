using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace Dispatch.Server.Common;

/// <summary>
/// Kestrel's own refusals (a body over the endpoint's limit → 413, a malformed request → 400) and
/// the framework's binding failures (a page number past an int, a body field of the wrong type)
/// answered as problem details naming the field, not as a 500 or a bare 400.
/// </summary>
public sealed partial class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad) return false;
        http.Response.StatusCode = bad.StatusCode;
        var field = Field(bad);
        var detail = bad.StatusCode == 413 ? "请求体超过了该接口允许的大小。"
            : field is null ? bad.Message
            : $"{field} 的值无法识别（类型不对或超出范围）。";
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = bad.StatusCode, Title = Problems.TitleFor(bad.StatusCode), Detail = detail };
        if (field is not null) problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }

    /// <summary>The field a binding failure is about: the JSON path inside a body, else the parameter's name.</summary>
    static string? Field(BadHttpRequestException bad) =>
        bad.InnerException is JsonException { Path: { } path } ? JsonBody.Field(path)
        : ParameterName().Match(bad.Message) is { Success: true } m && m.Groups[1].Value != "body" ? m.Groups[1].Value
        : null;

    // "Failed to bind parameter "int? page" from "99999999999"." — the name is the type's last word.
    [GeneratedRegex("""parameter "(?:[^"]* )?(\w+)" """, RegexOptions.CultureInvariant)]
    private static partial Regex ParameterName();
}
