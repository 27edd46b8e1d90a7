using System.Globalization;
using System.Text;

namespace LabNet.Simulator.Tart;

/// <summary>Tart's two output formats: Swift's pretty-printed JSONEncoder and a plain TextTable.</summary>
public static class TartFormat
{
    /// <summary>A field of one row: its name, its JSON literal, and its text-table cell.</summary>
    public sealed record Field(string Name, string Json, string Text, bool JsonOnly = false);

    public static Field String(string name, string value, string? text = null) => new(name, Quote(value), text ?? value);

    public static Field Int(string name, long value) => new(name, value.ToString(CultureInfo.InvariantCulture), value.ToString(CultureInfo.InvariantCulture));

    public static Field Bool(string name, bool value, bool jsonOnly = false) => new(name, value ? "true" : "false", value ? "true" : "false", jsonOnly);

    /// <summary>Swift's JSONEncoder with .prettyPrinted: two-space indent, <c>"key" : value</c>, escaped slashes.</summary>
    public static string JsonArray(IReadOnlyList<IReadOnlyList<Field>> rows)
    {
        if (rows.Count == 0)
        {
            return "[\n\n]";
        }

        var sb = new StringBuilder("[\n");
        for (var i = 0; i < rows.Count; i++)
        {
            sb.Append(JsonObject(rows[i], "  "));
            sb.Append(i < rows.Count - 1 ? ",\n" : "\n");
        }

        return sb.Append(']').ToString();
    }

    public static string JsonObject(IReadOnlyList<Field> fields, string indent = "")
    {
        var sb = new StringBuilder();
        sb.Append(indent).Append("{\n");
        for (var i = 0; i < fields.Count; i++)
        {
            sb.Append(indent).Append("  ").Append(Quote(fields[i].Name)).Append(" : ").Append(fields[i].Json);
            sb.Append(i < fields.Count - 1 ? ",\n" : "\n");
        }

        return sb.Append(indent).Append('}').ToString();
    }

    /// <summary>TextTable's plain style: a header of field names, columns left-aligned and one space apart.</summary>
    public static string Table(IReadOnlyList<IReadOnlyList<Field>> rows)
    {
        if (rows.Count == 0)
        {
            return "";
        }

        var columns = rows[0].Where(f => !f.JsonOnly).Select(f => f.Name).ToList();
        var cells = new List<List<string>> { columns };
        cells.AddRange(rows.Select(r => r.Where(f => !f.JsonOnly).Select(f => f.Text).ToList()));
        var widths = columns.Select((_, c) => cells.Max(r => r[c].Length)).ToList();
        var lines = cells.Select(r => string.Join(' ', r.Select((cell, c) => c < r.Count - 1 ? cell.PadRight(widths[c]) : cell)));
        return string.Join('\n', lines).Trim();
    }

    /// <summary>RelativeDateTimeFormatter's full style, e.g. "2 minutes ago".</summary>
    public static string Relative(DateTimeOffset then, DateTimeOffset now)
    {
        var ago = now - then;
        if (ago < TimeSpan.Zero)
        {
            ago = TimeSpan.Zero;
        }

        static string Unit(long n, string unit) => $"{n} {unit}{(n == 1 ? "" : "s")} ago";
        return ago.TotalMinutes < 1 ? Unit((long)ago.TotalSeconds, "second")
            : ago.TotalHours < 1 ? Unit((long)ago.TotalMinutes, "minute")
            : ago.TotalDays < 1 ? Unit((long)ago.TotalHours, "hour")
            : Unit((long)ago.TotalDays, "day");
    }

    public static string Iso8601(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Quote(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '/' => "\\/",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when c < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }
}
