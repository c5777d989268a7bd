namespace Dispatch.Server.Common;

/// <summary>Text from a request made safe to keep: control characters (a NUL above all) dropped, cut to a length.</summary>
public static class Bounded
{
    public static string? Text(string? text, int max)
    {
        if (string.IsNullOrEmpty(text)) return text;
        if (text.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0 || text.Contains('\u007f'))
            text = string.Concat(text.Where(c => !char.IsControl(c)));
        return text.Length <= max ? text : text[..max] + "…";
    }
}
