using System.Globalization;
using System.Text.Json.Nodes;
using LabNet.Yaml;

namespace LabNet.Simulator.Helm;

/// <summary>Helm's values: YAML files and <c>--set</c> strings turned into one tree, merged in Helm's order.</summary>
public static class HelmValues
{
    /// <summary>Parses a values file as helm does (sigs.k8s.io/yaml); throws <see cref="FormatException"/> with helm's words.</summary>
    public static JsonObject FromYaml(string yaml)
    {
        JsonNode? root;
        try
        {
            root = YamlToJson.Parse(yaml);
        }
        catch (YamlToJsonException ex)
        {
            throw new FormatException($"error converting YAML to JSON: yaml: line {ex.Line}: {ex.Problem}", ex);
        }

        return root switch
        {
            null => [],
            JsonObject values => values,
            _ => throw new FormatException($"error unmarshaling JSON: json: cannot unmarshal {GoKind(root)} into Go value of type map[string]interface {{}}"),
        };
    }

    private static string GoKind(JsonNode node) => node.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.Array => "array",
        System.Text.Json.JsonValueKind.String => "string",
        System.Text.Json.JsonValueKind.Number => "number",
        _ => "bool",
    };

    /// <summary>
    /// A <c>--set</c> value typed as Helm's strvals types it (not YAML): true/false and null in any case, 0, and
    /// decimal int64s without a leading zero; everything else, floats included, is a string.
    /// </summary>
    public static JsonNode? SetValue(string value)
    {
        if (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return JsonValue.Create(value.Equals("true", StringComparison.OrdinalIgnoreCase));
        }

        if (value.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return value == "0" || (value.Length > 0 && value[0] != '0' && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            ? JsonValue.Create(long.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture))
            : JsonValue.Create(value);
    }

    /// <summary>Merges <paramref name="overlay"/> into <paramref name="target"/> (maps merge key by key; anything else replaces).</summary>
    public static void Merge(JsonObject target, JsonObject overlay)
    {
        foreach (var (key, value) in overlay)
        {
            if (value is JsonObject child && target[key] is JsonObject existing)
            {
                Merge(existing, child);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    /// <summary>Applies one <c>--set</c> argument: <c>a.b=c,d={x,y}</c>.</summary>
    public static void ApplySet(JsonObject target, string expression, bool asString = false)
    {
        foreach (var assignment in SplitTopLevel(expression))
        {
            var eq = assignment.IndexOf('=');
            if (eq <= 0)
            {
                throw new FormatException($"failed parsing --set data: key \"{assignment}\" has no value");
            }

            var path = assignment[..eq].Split('.');
            var raw = assignment[(eq + 1)..];
            JsonNode? value;
            if (raw.StartsWith('{') && raw.EndsWith('}'))
            {
                var items = raw[1..^1].Split(',', StringSplitOptions.RemoveEmptyEntries);
                value = new JsonArray(items.Select(i => asString ? JsonValue.Create(i) : SetValue(i)).ToArray());
            }
            else
            {
                value = asString ? JsonValue.Create(raw) : SetValue(raw);
            }

            var node = target;
            foreach (var segment in path[..^1])
            {
                if (node[segment] is not JsonObject next)
                {
                    next = [];
                    node[segment] = next;
                }

                node = next;
            }

            node[path[^1]] = value;
        }
    }

    private static IEnumerable<string> SplitTopLevel(string expression)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < expression.Length; i++)
        {
            switch (expression[i])
            {
                case '{':
                    depth++;
                    break;
                case '}':
                    depth--;
                    break;
                case ',' when depth == 0 && (i == 0 || expression[i - 1] != '\\'):
                    yield return expression[start..i];
                    start = i + 1;
                    break;
            }
        }

        if (start < expression.Length)
        {
            yield return expression[start..];
        }
    }

    /// <summary>Reads a dotted path, e.g. <c>ipam.operator.clusterPoolIPv4PodCIDRList</c>.</summary>
    public static JsonNode? Get(JsonObject values, string path)
    {
        JsonNode? node = values;
        foreach (var segment in path.Split('.'))
        {
            node = node is JsonObject obj ? obj[segment] : null;
        }

        return node;
    }

    public static string String(JsonObject values, string path, string fallback = "") =>
        Get(values, path) is JsonValue value ? value.ToString() : fallback;

    /// <summary>Helm templates treat "true", true and (for Cilium's kubeProxyReplacement) "strict" alike.</summary>
    public static bool Truthy(JsonObject values, string path) =>
        Get(values, path) is JsonValue value && value.ToString().ToLowerInvariant() is "true" or "strict";

    /// <summary>Values as helm prints them in YAML (block style, keys in insertion order, strings quoted only when needed).</summary>
    public static string ToYaml(JsonObject values)
    {
        var yaml = new System.Text.StringBuilder();
        WriteMapping(values, 0);
        return yaml.ToString();

        void WriteMapping(JsonObject mapping, int indent)
        {
            foreach (var (key, value) in mapping)
            {
                yaml.Append(' ', indent).Append(key).Append(':');
                WriteValue(value, indent);
            }
        }

        void WriteValue(JsonNode? value, int indent)
        {
            switch (value)
            {
                case JsonObject { Count: 0 }:
                    yaml.Append(" {}\n");
                    break;
                case JsonObject child:
                    yaml.Append('\n');
                    WriteMapping(child, indent + 2);
                    break;
                case JsonArray { Count: 0 }:
                    yaml.Append(" []\n");
                    break;
                case JsonArray list:
                    yaml.Append('\n');
                    foreach (var item in list)
                    {
                        yaml.Append(' ', indent).Append('-');
                        if (item is JsonObject itemObject && itemObject.Count > 0)
                        {
                            var first = true;
                            foreach (var (key, nested) in itemObject)
                            {
                                yaml.Append(first ? " " : new string(' ', indent + 2)).Append(key).Append(':');
                                WriteValue(nested, indent + 4);
                                first = false;
                            }
                        }
                        else
                        {
                            WriteValue(item, indent + 2);
                        }
                    }

                    break;
                case null:
                    yaml.Append(" null\n");
                    break;
                default:
                    var text = value.GetValueKind() == System.Text.Json.JsonValueKind.String ? Quote(value.GetValue<string>()) : value.ToJsonString();
                    yaml.Append(' ').Append(text).Append('\n');
                    break;
            }
        }

        static string Quote(string text) =>
            !YamlScalar.ReadsAsString(text)
                || text.IndexOfAny([':', '#', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`']) >= 0 || text.Trim() != text
                ? System.Text.Json.JsonSerializer.Serialize(text)
                : text;
    }
}
