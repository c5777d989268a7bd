using System.Globalization;

namespace Dispatch.Server.Common;

public static class Coordinates
{
    /// <summary>Parses a query coordinate, recording a Chinese reason under its field name when it is wrong.</summary>
    public static double Parse(string? text, string field, double min, double max, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) { errors[field] = [$"缺少 {field}。"]; return double.NaN; }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
        { errors[field] = [$"{field} 应为数字（WGS84 度）。"]; return double.NaN; }
        if (v < min || v > max) { errors[field] = [$"{field} 应在 {min} 到 {max} 之间。"]; return double.NaN; }
        return v;
    }
}
