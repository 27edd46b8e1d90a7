using System.Text.Json;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// What the apiserver's decoder and structural-schema pruning do with a body: find fields the schema does not know
/// (kubectl's <c>--validate=strict</c> turns them into errors, otherwise they are dropped with a warning) and values of
/// the wrong type (always 422).
/// </summary>
public static class SchemaValidator
{
    public sealed record Result(IReadOnlyList<string> UnknownFields, IReadOnlyList<FieldError> TypeErrors);

    /// <summary>Checks <paramref name="obj"/>; with <paramref name="prune"/> removes the unknown fields from it.</summary>
    public static Result Validate(JsonObject obj, SchemaNode? schema, bool prune)
    {
        var unknown = new List<string>();
        var typeErrors = new List<FieldError>();
        if (schema is not null)
        {
            Walk(obj, schema, "", unknown, typeErrors, prune);
        }

        return new Result(unknown, typeErrors);
    }

    private static void Walk(JsonNode? node, SchemaNode schema, string path, List<string> unknown, List<FieldError> typeErrors, bool prune)
    {
        if (node is null)
        {
            return;
        }

        switch (schema.Type)
        {
            case SchemaType.Any:
                return;
            case SchemaType.Object when node is JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    var childPath = path.Length == 0 ? key : $"{path}.{key}";
                    if (schema.Properties!.TryGetValue(key, out var child))
                    {
                        Walk(value, child, childPath, unknown, typeErrors, prune);
                    }
                    else if (!schema.PreserveUnknownFields)
                    {
                        unknown.Add(childPath);
                        if (prune)
                        {
                            obj.Remove(key);
                        }
                    }
                }

                return;
            case SchemaType.Map when node is JsonObject map:
                foreach (var (key, value) in map)
                {
                    Walk(value, schema.Items!, $"{path}.{key}", unknown, typeErrors, prune);
                }

                return;
            case SchemaType.Array when node is JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], schema.Items!, $"{path}[{i}]", unknown, typeErrors, prune);
                }

                return;
            case SchemaType.String when Kind(node) == JsonValueKind.String:
            case SchemaType.Boolean when Kind(node) is JsonValueKind.True or JsonValueKind.False:
            case SchemaType.Number when Kind(node) == JsonValueKind.Number:
            case SchemaType.IntOrString when Kind(node) is JsonValueKind.String or JsonValueKind.Number:
                return;
            case SchemaType.Integer when Kind(node) == JsonValueKind.Number && !node.ToJsonString().Contains('.'):
                return;
        }

        var expected = schema.Type switch
        {
            SchemaType.Object or SchemaType.Map => "object",
            SchemaType.IntOrString => "integer or string",
            _ => schema.Type.ToString().ToLowerInvariant(),
        };
        typeErrors.Add(new FieldError(path, "FieldValueTypeInvalid",
            $"Invalid value: \"{Describe(node)}\": {path} in body must be of type {expected}: \"{Describe(node)}\""));
    }

    private static JsonValueKind Kind(JsonNode node) => node.GetValueKind();

    private static string Describe(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => node.ToJsonString().Contains('.') ? "number" : "integer",
        _ => "boolean",
    };
}
