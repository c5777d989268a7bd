using System.Text.Json;
using System.Text.Json.Serialization;
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
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, options, ct) is { } body
                ? (body, null)
                : (null, Problems.Invalid("body", "请求体不能为空。"));
        }
        catch (JsonException e) { return (null, Invalid(e)); }
    }

    /// <summary>The same from bytes already read (intake hashes them for idempotency).</summary>
    public static (T? Body, IResult? Problem) Read<T>(HttpContext http, byte[] raw) where T : class
    {
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            return raw.Length > 0 && JsonSerializer.Deserialize<T>(raw, options) is { } body
                ? (body, null)
                : (null, Problems.Invalid("body", "请求体不能为空。"));
        }
        catch (JsonException e) { return (null, Invalid(e)); }
    }

    /// <summary>Our own reasons (a NUL) as they are; the parser's, which name the position, after "JSON 格式错误".</summary>
    public static IResult Invalid(JsonException e) =>
        Problems.Invalid(Field(e.Path), e.Message.Contains("Path:") ? $"JSON 格式错误：{e.Message}" : e.Message);

    /// <summary>"$.note" → "note"; the body as a whole when the error has no path.</summary>
    public static string Field(string? jsonPath) => jsonPath is null or "$" ? "body" : jsonPath.TrimStart('$', '.');
}

/// <summary>
/// Every string a request carries passes here: a NUL (U+0000) cannot be stored in PostgreSQL text,
/// so it is refused at the door, with the field it was in, instead of failing the write later.
/// </summary>
public sealed class NoNulStrings : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (text is not null && text.Contains('\0')) throw new JsonException("不能包含空字符（U+0000）。");
        return text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
