using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Common;

/// <summary>
/// Request bodies read as the framework reads them (its JSON options, which refuse a NUL in any
/// string), with a malformed body answered as a problem naming the field and the reason.
/// </summary>
public static class JsonBody
{
    /// <summary>The body as <typeparamref name="T"/>, or the 400 to answer; an empty body is a 400 too.</summary>
    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpContext http, CancellationToken ct) where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, Options(http), ct) is { } body
                ? (body, null)
                : (null, Problems.Invalid("body", "请求体不能为空。"));
        }
        catch (JsonException e) { return (null, Invalid(e)); }
    }

    /// <summary>The same from bytes already read (intake hashes them for idempotency).</summary>
    public static (T? Body, IResult? Problem) Read<T>(HttpContext http, byte[] raw) where T : class
    {
        try
        {
            return raw.Length > 0 && JsonSerializer.Deserialize<T>(raw, Options(http)) is { } body
                ? (body, null)
                : (null, Problems.Invalid("body", "请求体不能为空。"));
        }
        catch (JsonException e) { return (null, Invalid(e)); }
    }

    static JsonSerializerOptions Options(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

    /// <summary>Our own reasons (a NUL) as they are; the parser's, which name the position, after "JSON 格式错误".</summary>
    public static IResult Invalid(JsonException e) =>
        Problems.Invalid(Field(e.Path), e.Message.Contains("Path:") ? $"JSON 格式错误：{e.Message}" : e.Message);

    /// <summary>"$.note" → "note"; the body as a whole when the error has no path.</summary>
    public static string Field(string? jsonPath) => jsonPath is null or "$" ? "body" : jsonPath.TrimStart('$', '.');
}
