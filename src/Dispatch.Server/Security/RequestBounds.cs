namespace Dispatch.Server.Security;

/// <summary>
/// What any request may carry, checked before any handler reads it: no control characters (a NUL
/// cannot be stored in PostgreSQL text, and none belongs in an address) in the path or the query,
/// and no query value longer than <see cref="MaxQueryValue"/> characters. Each handler still
/// bounds its own fields; this is the floor under all of them.
/// </summary>
public sealed class RequestBounds(RequestDelegate next)
{
    public const int MaxQueryValue = 4096;

    public Task InvokeAsync(HttpContext http) => Refusal(http.Request) is { } problem ? problem.ExecuteAsync(http) : next(http);

    static IResult? Refusal(HttpRequest request)
    {
        if (HasControl(request.Path.Value)) return Problems.Invalid("path", "地址中不能包含控制字符。");
        foreach (var (key, values) in request.Query)
        {
            if (HasControl(key)) return Problems.Invalid("query", "查询参数名中不能包含控制字符。");
            foreach (var value in values)
            {
                if (HasControl(value)) return Problems.Invalid(key, "不能包含控制字符（如 U+0000）。");
                if (value?.Length > MaxQueryValue) return Problems.Invalid(key, $"不能超过 {MaxQueryValue} 个字符。");
            }
        }
        return null;
    }

    static bool HasControl(string? text) =>
        text is not null && (text.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0 || text.Contains('\u007f'));
}
