using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LabNet.Simulator.Cel;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// An object's JSON as the values a validation rule sees (<c>k8s.io/apiserver/pkg/cel/common/values.go</c>): the
/// schema decides the types (an <c>integer</c> field is an int, a <c>number</c> field a double even when written
/// <c>5</c>, <c>date-time</c> and <c>duration</c> strings are timestamps and durations), object properties are
/// reached by their escaped names (<c>x-y</c> as <c>x__dash__y</c>), and the root's metadata shows only name and
/// generateName.
/// </summary>
public static partial class UnstructuredToCel
{
    private static readonly HashSet<string> Keywords =
        ["true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop",
         "package", "namespace", "return", "var", "void", "while"];

    [GeneratedRegex(@"^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$")]
    private static partial Regex Escapable();

    public static object Convert(JsonNode? node, SchemaNode? schema, bool isRoot = false)
    {
        if (node is null)
        {
            return CelNull.Value;
        }

        switch (schema?.Type)
        {
            case SchemaType.Object when node is JsonObject obj:
            {
                var map = new CelMap();
                foreach (var (key, value) in obj)
                {
                    if (Escape(key) is not { } name)
                    {
                        continue;
                    }

                    if (isRoot && key == "metadata")
                    {
                        map.TryAdd(name, RootMetadata(value));
                        continue;
                    }

                    var child = schema.Properties!.GetValueOrDefault(key);
                    map.TryAdd(name, Convert(value, child));
                }

                return map;
            }

            case SchemaType.Map when node is JsonObject obj:
            {
                var map = new CelMap();
                foreach (var (key, value) in obj)
                {
                    map.TryAdd(key, Convert(value, schema.Items));
                }

                return map;
            }

            case SchemaType.Array when node is JsonArray array:
                return new CelList([.. array.Select(item => Convert(item, schema.Items))]);
            case SchemaType.Number when node.GetValueKind() == JsonValueKind.Number:
                return Json.Number(node);
            case SchemaType.Integer when node.GetValueKind() == JsonValueKind.Number:
                return IntegerOrDouble(node);
            case SchemaType.String when node.GetValueKind() == JsonValueKind.String:
                return FormattedString(node.GetValue<string>(), schema.Validation?.Format);
        }

        return Dynamic(node);
    }

    /// <summary>The CEL-accessible name of a property (<c>__dash__</c>, <c>__dot__</c>...), or null when it has none.</summary>
    public static string? Escape(string name)
    {
        if (Keywords.Contains(name))
        {
            return $"__{name}__";
        }

        if (!Escapable().IsMatch(name))
        {
            return null;
        }

        return name.Replace("__", "__underscores__", StringComparison.Ordinal)
            .Replace(".", "__dot__", StringComparison.Ordinal)
            .Replace("-", "__dash__", StringComparison.Ordinal)
            .Replace("/", "__slash__", StringComparison.Ordinal);
    }

    private static object RootMetadata(JsonNode? metadata)
    {
        var map = new CelMap();
        foreach (var field in new[] { "name", "generateName" })
        {
            if (metadata?[field] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            {
                map.TryAdd(field, value.GetValue<string>());
            }
        }

        return map;
    }

    private static object FormattedString(string value, string? format)
    {
        switch (format)
        {
            case "duration":
                return CelConversions.ParseDuration(value) is TimeSpan d ? d : new CelError($"Invalid duration {value}");
            case "date":
                return DateTimeOffset.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
                    ? date
                    : new CelError($"Invalid date formatted string {value}");
            case "date-time":
                return CelConversions.ToTimestamp(value) is DateTimeOffset t ? t : new CelError($"Invalid date-time formatted string {value}");
            case "byte":
                try
                {
                    return new CelBytes(System.Convert.FromBase64String(value));
                }
                catch (FormatException)
                {
                    return new CelError($"Invalid byte formatted string {value}");
                }

            default:
                return value;
        }
    }

    /// <summary>Schema-less JSON (int-or-string, preserved unknown fields): integers written without a fraction are ints.</summary>
    private static object Dynamic(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
            {
                var map = new CelMap();
                foreach (var (key, value) in obj)
                {
                    map.TryAdd(key, value is null ? CelNull.Value : Dynamic(value));
                }

                return map;
            }

            case JsonArray array:
                return new CelList([.. array.Select(item => item is null ? CelNull.Value : Dynamic(item))]);
        }

        return node.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => long.TryParse(node.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                ? integer
                : Json.Number(node),
            _ => CelNull.Value,
        };
    }

    private static object IntegerOrDouble(JsonNode node)
    {
        var text = node.ToJsonString();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        var d = Json.Number(node);
        return Math.Floor(d) == d && Math.Abs(d) < 9.2e18 ? (long)d : d;
    }
}
