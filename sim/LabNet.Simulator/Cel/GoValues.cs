using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabNet.Simulator.Cel;

namespace LabNet.Simulator.Cel;

/// <summary>How apimachinery's field errors print a bad value (Go's <c>%q</c> for strings, <c>%v</c> for numbers, <c>"null"</c> for nil).</summary>
public static class GoValues
{
    public static string Render(JsonNode? value) => value switch
    {
        null => Quote("null"),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => Number(v),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValueKind() == JsonValueKind.True ? "true" : "false",
        _ => Quote(value.ToJsonString()),
    };

    /// <summary>A JSON number as Go holds it after decoding: int64 when written as an integer, else float64 (<c>%g</c>).</summary>
    public static string Number(JsonNode number)
    {
        var text = number.ToJsonString();
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
            ? integer.ToString(CultureInfo.InvariantCulture)
            : CelConversions.FormatDouble(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    /// <summary>Go's <c>strconv.Quote</c>.</summary>
    public static string Quote(string s)
    {
        var builder = new StringBuilder("\"");
        foreach (var rune in s.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\a':
                    builder.Append("\\a");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '\v':
                    builder.Append("\\v");
                    break;
                case < 0x20 or 0x7f:
                    builder.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}");
                    break;
                default:
                    builder.Append(rune.ToString());
                    break;
            }
        }

        return builder.Append('"').ToString();
    }
}
