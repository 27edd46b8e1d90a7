using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Cilium.Parsing;

/// <summary>Collects every problem of one policy object, each with its JSON path, so one import reports them all.</summary>
internal sealed class PolicyParseContext
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;

    public void Error(string path, string problem) => _errors.Add($"{path}: {problem}");

    /// <summary>Reports fields the schema does not know (kubectl's strict field validation does the same).</summary>
    public void RejectUnknownFields(JsonObject obj, string path, IReadOnlyCollection<string> known)
    {
        foreach (var (name, _) in obj)
        {
            if (!known.Contains(name))
            {
                Error(Join(path, name), $"unknown field \"{name}\"; the fields allowed here are {string.Join(", ", known)}");
            }
        }
    }

    public JsonObject? Object(JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is JsonObject obj)
        {
            return obj;
        }

        Error(path, $"must be an object, not {Describe(node)}");
        return null;
    }

    public JsonArray? Array(JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is JsonArray array)
        {
            return array;
        }

        Error(path, $"must be a list, not {Describe(node)}; write it as a YAML list (\"- ...\")");
        return null;
    }

    /// <summary>
    /// A list field, item by item: <paramref name="item"/> reads one at its path and returns null after reporting why
    /// it is left out. Null when the field is absent (or is not a list, which is reported).
    /// </summary>
    public List<T>? Items<T>(JsonNode? node, string path, Func<JsonNode?, string, T?> item)
        where T : class
    {
        if (Array(node, path) is not { } array)
        {
            return null;
        }

        var items = new List<T>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (item(array[i], Index(path, i)) is { } parsed)
            {
                items.Add(parsed);
            }
        }

        return items;
    }

    /// <summary>A list of objects, each read by <paramref name="item"/> (see <see cref="Items"/>).</summary>
    public List<T>? Objects<T>(JsonNode? node, string path, Func<JsonObject, string, T?> item)
        where T : class =>
        Items(node, path, (n, p) => Object(n, p) is { } obj ? item(obj, p) : null);

    /// <summary>A list of strings, each read by <paramref name="item"/> (see <see cref="Items"/>).</summary>
    public List<T>? Strings<T>(JsonNode? node, string path, Func<string, string, T?> item)
        where T : class =>
        Items(node, path, (n, p) => String(n, p) is { } text ? item(text, p) : null);

    public string? String(JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return value.GetValue<string>();
        }

        Error(path, $"must be a string, not {Describe(node)}; quote it (\"{node.ToJsonString().Trim('"')}\")");
        return null;
    }

    public long? Integer(JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var number))
        {
            return number;
        }

        Error(path, $"must be an integer, not {Describe(node)}");
        return null;
    }

    public bool? Boolean(JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetValue<bool>();
        }

        Error(path, $"must be true or false, not {Describe(node)}");
        return null;
    }

    public static string Join(string path, string field) => path.Length == 0 ? field : $"{path}.{field}";

    public static string Index(string path, int index) => string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]");

    private static string Describe(JsonNode node) => node switch
    {
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => $"the string {v.ToJsonString()}",
            JsonValueKind.Number => $"the number {v.ToJsonString()}",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {v.ToJsonString()}",
            _ => "null",
        },
        _ => "null",
    };
}
