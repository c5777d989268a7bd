using Microsoft.AspNetCore.Diagnostics;

namespace Dispatch.Server.Common;

/// <summary>
/// The floor under input validation: a value PostgreSQL refuses as data (class 22: out of range,
/// an invalid character, a bad format; 54000: too long for an index) came from the request, so it
/// is the caller's 400, never a 500. Every handler validates its fields first; reaching this
/// handler means one did not, which the warning says so that it gets a proper message.
/// </summary>
public sealed class DataExceptionHandler(IProblemDetailsService problems, ILogger<DataExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not PostgresException { SqlState: var state } || !(state.StartsWith("22", StringComparison.Ordinal) || state == "54000")) return false;
        log.LogWarning("Input refused by the database on {Path} (SQLSTATE {State}): a validation is missing", http.Request.Path, state);
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = 400, Title = "请求参数有误", Detail = "请求中的数据超出允许的范围或格式，无法处理。" },
        });
    }
}
