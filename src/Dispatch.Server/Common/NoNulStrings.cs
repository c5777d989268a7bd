using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dispatch.Server.Common;

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
