using Microsoft.AspNetCore.Diagnostics;

namespace Dispatch.Server.Common;

/// <summary>
/// A database that cannot be reached is the platform's fault, not the caller's: answer 503 so
/// that clients retry, instead of a bare 500.
/// </summary>
public sealed class DatabaseUnavailableHandler(IProblemDetailsService problems, NpgsqlDataSource db, ILogger<DatabaseUnavailableHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not (NpgsqlException { IsTransient: true } or TimeoutException)) return false;
        log.LogWarning("Database unavailable: {Reason}", exception.Message);
        // Pooled connections to a database that went away are dead: drop them so that the first
        // request after it returns gets a fresh one instead of another 503. Not when the pool is
        // merely busy (a wait that timed out): emptying it then would only add reconnections to the load.
        if (exception is NpgsqlException { InnerException: not TimeoutException }) db.Clear();
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = 503, Title = "服务暂不可用", Detail = "数据库暂时无法访问，请稍后重试。" },
        });
    }
}
