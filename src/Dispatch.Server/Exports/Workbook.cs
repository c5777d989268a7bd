using ClosedXML.Excel;

namespace Dispatch.Server.Exports;

/// <summary>
/// Sheets as the supervisors open them in Excel: a bold frozen header row, dates in Beijing time,
/// rates as percentages. Column widths are set, not measured (measuring text needs fonts the
/// server may not have).
/// </summary>
static class Workbook
{
    public sealed record Column<T>(string Header, Func<T, object?> Value, string? Format = null, double Width = 12);

    public static void AddSheet<T>(XLWorkbook book, string name, IReadOnlyList<Column<T>> columns, IEnumerable<T> rows)
    {
        var sheet = book.Worksheets.Add(name);
        for (var c = 0; c < columns.Count; c++)
        {
            sheet.Cell(1, c + 1).Value = columns[c].Header;
            sheet.Column(c + 1).Width = columns[c].Width;
            if (columns[c].Format is { } format) sheet.Column(c + 1).Style.NumberFormat.Format = format;
        }
        sheet.Row(1).Style.Font.Bold = true;
        sheet.SheetView.FreezeRows(1);
        var r = 2;
        foreach (var row in rows)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                var cell = sheet.Cell(r, c + 1);
                switch (columns[c].Value(row))
                {
                    case null: break;
                    case DateTimeOffset at: cell.Value = at.ToOffset(Clock.Beijing).DateTime; cell.Style.NumberFormat.Format = "yyyy-mm-dd hh:mm"; break;
                    case DateOnly day: cell.Value = day.ToDateTime(TimeOnly.MinValue); cell.Style.NumberFormat.Format = "yyyy-mm-dd"; break;
                    case string text: cell.SetValue(text); break; // as text: codes keep their digits, nothing is read as a formula
                    case var number: cell.Value = Convert.ToDouble(number, System.Globalization.CultureInfo.InvariantCulture); break;
                }
            }
            r++;
        }
    }

    public static byte[] Bytes(XLWorkbook book)
    {
        using var stream = new MemoryStream();
        book.SaveAs(stream);
        return stream.ToArray();
    }

    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}
