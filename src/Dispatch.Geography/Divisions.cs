using CsvHelper;

namespace Dispatch.Geography;

public enum RegionLevel { City, District, Township, Village }

/// <summary>One row of the statistical division list: a city, district, township or village.</summary>
public sealed record Division(RegionLevel Level, string Code, string Name, string? ParentCode);

public static class Divisions
{
    /// <summary>
    /// Reads <c>level,code,name,parent_code</c> rows (the layout of <c>db/divisions.csv</c>) in file order.
    /// An empty parent code means none (the city).
    /// </summary>
    public static IReadOnlyList<Division> Read(TextReader csv)
    {
        using var reader = CsvReader.Create(csv, options: null, leaveOpen: true);
        var rows = new List<Division>();
        while (reader.Read())
        {
            var parent = reader.GetString("parent_code");
            rows.Add(new Division(
                ParseLevel(reader.GetString("level")),
                reader.GetString("code"),
                reader.GetString("name"),
                string.IsNullOrWhiteSpace(parent) ? null : parent));
        }
        return rows;
    }

    static RegionLevel ParseLevel(string level) => level switch
    {
        "city" => RegionLevel.City,
        "district" => RegionLevel.District,
        "township" => RegionLevel.Township,
        "village" => RegionLevel.Village,
        _ => throw new FormatException($"Unknown division level '{level}'."),
    };
}
