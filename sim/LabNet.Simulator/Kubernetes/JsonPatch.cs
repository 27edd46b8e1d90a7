using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>RFC 6902 JSON patch (<c>application/json-patch+json</c>, <c>kubectl patch --type json</c>).</summary>
public static class JsonPatch
{
    /// <summary>Applies every operation or none; failures are the apiserver's 422 messages.</summary>
    public static JsonNode Apply(JsonNode document, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw new JsonPatchException("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }

        var root = new JsonObject { ["doc"] = document.DeepClone() };
        foreach (var operationNode in operations)
        {
            if (operationNode is not JsonObject operation)
            {
                throw new JsonPatchException("json: cannot unmarshal into Go value of type jsonpatch.Operation");
            }

            var op = operation["op"]?.GetValue<string>() ?? throw new JsonPatchException("Unexpected kind: ");
            var path = Pointer(operation, "path");
            switch (op)
            {
                case "add":
                    Add(root, path, Value(operation)?.DeepClone(), op);
                    break;
                case "remove":
                    Remove(root, path, op);
                    break;
                case "replace":
                    Remove(root, path, op);
                    Add(root, path, Value(operation)?.DeepClone(), op);
                    break;
                case "move":
                {
                    var from = Pointer(operation, "from");
                    var value = Get(root, from, op);
                    Remove(root, from, op);
                    Add(root, path, value?.DeepClone(), op);
                    break;
                }

                case "copy":
                    Add(root, path, Get(root, Pointer(operation, "from"), op)?.DeepClone(), op);
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(root, path, op), Value(operation)))
                    {
                        throw new JsonPatchException($"testing value {operation["path"]} failed: test failed");
                    }

                    break;
                default:
                    throw new JsonPatchException($"Unexpected kind: {op}");
            }
        }

        return root["doc"]!;
    }

    private static JsonNode? Value(JsonObject operation) =>
        operation.TryGetPropertyValue("value", out var value)
            ? value
            : throw new JsonPatchException("Unable to unmarshal value: missing value");

    private static string[] Pointer(JsonObject operation, string member)
    {
        var pointer = operation[member]?.GetValue<string>() ?? throw new JsonPatchException($"operation missing {member} field");
        if (pointer.Length == 0)
        {
            return ["doc"];
        }

        if (pointer[0] != '/')
        {
            throw new JsonPatchException($"JSON pointer must be empty or start with a \"/\": {pointer}");
        }

        return ["doc", .. pointer[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static JsonNode Parent(JsonObject root, string[] path, string op)
    {
        JsonNode current = root;
        foreach (var segment in path[..^1])
        {
            current = Child(current, segment) ?? throw Missing(op, path);
        }

        return current;
    }

    private static JsonNode? Child(JsonNode node, string segment) => node switch
    {
        JsonObject o => o.TryGetPropertyValue(segment, out var v) ? v : null,
        JsonArray a when int.TryParse(segment, out var i) && i >= 0 && i < a.Count => a[i],
        _ => null,
    };

    private static JsonNode? Get(JsonObject root, string[] path, string op)
    {
        var parent = Parent(root, path, op);
        var last = path[^1];
        return parent switch
        {
            JsonObject o when o.TryGetPropertyValue(last, out var v) => v,
            JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count => a[i],
            _ => throw Missing(op, path),
        };
    }

    private static void Add(JsonObject root, string[] path, JsonNode? value, string op)
    {
        var parent = Parent(root, path, op);
        var last = path[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            case JsonArray:
                throw new JsonPatchException($"add operation does not apply: doc is missing path: \"{Display(path)}\": invalid index");
            default:
                throw Missing(op, path);
        }
    }

    private static void Remove(JsonObject root, string[] path, string op)
    {
        var parent = Parent(root, path, op);
        var last = path[^1];
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                a.RemoveAt(i);
                break;
            default:
                throw Missing(op, path);
        }
    }

    private static string Display(string[] path) => "/" + string.Join('/', path[1..]);

    private static JsonPatchException Missing(string op, string[] path) => op switch
    {
        "replace" => new JsonPatchException($"replace operation does not apply: doc is missing key: {Display(path)}: missing value"),
        "remove" => new JsonPatchException($"remove operation does not apply: doc is missing path: \"{Display(path)}\": missing value"),
        _ => new JsonPatchException($"{op} operation does not apply: doc is missing path: \"{Display(path)}\": missing value"),
    };
}

/// <summary>A JSON patch that cannot be applied; the API answers it with 422 and this message.</summary>
public sealed class JsonPatchException(string message) : Exception(message);
