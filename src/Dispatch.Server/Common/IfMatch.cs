namespace Dispatch.Server.Common;

/// <summary>
/// The version a client says it saw, from <c>If-Match</c>: a step on an incident or an alert is
/// taken only on the version its author read (428 without one; the caller answers 412 on a stale one).
/// </summary>
public static class IfMatch
{
    /// <summary>The version in the request's <c>If-Match</c>, or the 428 to answer when there is none.</summary>
    public static IResult? Read(HttpRequest request, out int expected)
    {
        if (Parse(request.Headers.IfMatch.ToString()) is { } v)
        {
            expected = v;
            return null;
        }
        expected = 0;
        return TypedResults.Problem("请在 If-Match 头中给出您看到的版本号（ETag）。", statusCode: 428, title: "缺少版本号");
    }

    /// <summary>Accepts <c>3</c>, <c>"3"</c> and <c>W/"3"</c>.</summary>
    public static int? Parse(string header) =>
        int.TryParse(header.Trim().TrimStart('W', '/').Trim('"'), out var v) ? v : null;
}
