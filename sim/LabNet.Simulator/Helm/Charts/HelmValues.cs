using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace LabNet.Simulator.Helm.Charts;

/// <summary>Helm's values: YAML files and <c>--set</c> strings turned into one tree, merged in Helm's order.</summary>
public static class HelmValues
{
    /// <summary>Parses a values file; throws <see cref="FormatException"/> naming the problem.</summary>
    public static JsonObject FromYaml(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new FormatException($"error converting YAML to JSON: yaml: line {ex.Start.Line}: {ex.Message}", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        return ToJson(stream.Documents[0].RootNode) as JsonObject
            ?? throw new FormatException("error unmarshaling JSON: json: cannot unmarshal array into Go value of type map[string]interface {}");
    }

    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar.Value, scalar.Style is YamlDotNet.Core.ScalarStyle.Plain),
        _ => null,
    };

    /// <summary>YAML 1.1 / strvals typing: true/false, null, integers and floats; anything else is a string.</summary>
    public static JsonNode? Scalar(string? value, bool typed = true)
    {
        if (value is null)
        {
            return null;
        }

        if (!typed)
        {
            return JsonValue.Create(value);
        }

        switch (value)
        {
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
            case "null" or "~" or "":
                return null;
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (value.Contains('.') && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(value);
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
                value = new JsonArray(items.Select(i => asString ? JsonValue.Create(i) : Scalar(i)).ToArray());
            }
            else
            {
                value = asString ? JsonValue.Create(raw) : Scalar(raw);
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
            text.Length == 0 || Scalar(text) is not JsonValue plain || plain.GetValueKind() != System.Text.Json.JsonValueKind.String
                || text.IndexOfAny([':', '#', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`']) >= 0 || text.Trim() != text
                ? System.Text.Json.JsonSerializer.Serialize(text)
                : text;
    }
}
