namespace Dispatch.Server.Common;

/// <summary>
/// RFC 9457 problem details with the Chinese titles of the public contract (docs/api.md): one place
/// for the wording, so that every endpoint says the same thing for the same failure.
/// </summary>
public static class Problems
{
    public static IResult Invalid(string field, string reason) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [reason] }, title: "请求参数有误");

    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "请求参数有误");

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "未找到");

    public static IResult Unprocessable(string detail, string? field = null) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "无法处理的请求",
            extensions: field is null ? null : new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [detail] } });

    public static IResult Locked(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "账号已锁定");

    /// <summary>429 with <c>Retry-After</c>: the caller may try again after <paramref name="retryAfter"/>.</summary>
    public static IResult TooMany(HttpContext http, string detail, TimeSpan retryAfter)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "请求过多");
    }

    public static IResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "无权操作");

    public static IResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "操作与当前状态冲突");

    public static IResult Stale(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status412PreconditionFailed, title: "版本已过期");

    /// <summary>Chinese titles for the statuses the framework answers by itself (401, 403, 413…).</summary>
    public static string TitleFor(int status) => status switch
    {
        400 => "请求参数有误",
        401 => "未登录",
        403 => "无权操作",
        404 => "未找到",
        405 => "不支持该方法",
        409 => "操作与当前状态冲突",
        412 => "版本已过期",
        413 => "请求体过大",
        415 => "不支持的内容类型",
        422 => "无法处理的请求",
        428 => "缺少版本号",
        429 => "请求过多",
        503 => "服务暂不可用",
        _ => "服务器内部错误",
    };

    public static IResult Unavailable(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "服务暂不可用");
}
