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
