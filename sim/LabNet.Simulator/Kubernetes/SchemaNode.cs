using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

public enum SchemaType
{
    /// <summary>Anything (x-kubernetes-preserve-unknown-fields without properties, or a field we do not model).</summary>
    Any,
    Object,
    Map,
    Array,
    String,
    Integer,
    Number,
    Boolean,
    IntOrString,
}

/// <summary>
/// The structural shape of a field, enough for what the API server does with it: strict field validation and pruning
/// of unknown fields, type checks, and the merge keys and strategies of strategic merge patch.
/// </summary>
public sealed record SchemaNode(SchemaType Type)
{
    public IReadOnlyDictionary<string, SchemaNode>? Properties { get; init; }

    /// <summary>Element schema of an array, or value schema of a map.</summary>
    public SchemaNode? Items { get; init; }

    /// <summary>An object with known properties that also keeps fields it does not know.</summary>
    public bool PreserveUnknownFields { get; init; }

    /// <summary><c>x-kubernetes-patch-merge-key</c>: lists of objects are merged element by element on this field.</summary>
    public string? PatchMergeKey { get; init; }

    /// <summary><c>x-kubernetes-patch-strategy</c>: <c>merge</c>, <c>retainKeys</c>, <c>merge,retainKeys</c> or <c>replace</c>.</summary>
    public string? PatchStrategy { get; init; }

    public IReadOnlyList<string> Required { get; init; } = [];

    public bool Nullable { get; init; }

    public bool MergesList => PatchStrategy?.Split(',').Contains("merge") == true;

    /// <summary>A CRD schema's value validations, default and CEL rules (null for the built-in kinds' shapes).</summary>
    public SchemaValidation? Validation { get; init; }

    public static SchemaNode FromOpenApiV3(JsonNode? node)
    {
        var shape = Shape(node);
        return node is JsonObject schema && SchemaValidation.FromOpenApiV3(schema) is { } validation ? shape with { Validation = validation } : shape;
    }

    private static SchemaNode Shape(JsonNode? node)
    {
        if (node is not JsonObject schema)
        {
            return new SchemaNode(SchemaType.Any);
        }

        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        var intOrString = schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true;
        var type = schema["type"]?.GetValue<string>();
        var nullable = schema["nullable"]?.GetValue<bool>() == true;
        if (intOrString)
        {
            return new SchemaNode(SchemaType.IntOrString) { Nullable = nullable };
        }

        switch (type)
        {
            case "string": return new SchemaNode(SchemaType.String) { Nullable = nullable };
            case "integer": return new SchemaNode(SchemaType.Integer) { Nullable = nullable };
            case "number": return new SchemaNode(SchemaType.Number) { Nullable = nullable };
            case "boolean": return new SchemaNode(SchemaType.Boolean) { Nullable = nullable };
            case "array":
                return new SchemaNode(SchemaType.Array)
                {
                    Items = FromOpenApiV3(schema["items"]),
                    Nullable = nullable,
                    PatchMergeKey = schema["x-kubernetes-patch-merge-key"]?.GetValue<string>(),
                    PatchStrategy = schema["x-kubernetes-patch-strategy"]?.GetValue<string>(),
                };
        }

        if (schema["properties"] is JsonObject properties)
        {
            return new SchemaNode(SchemaType.Object)
            {
                Properties = properties.ToDictionary(p => p.Key, p => FromOpenApiV3(p.Value), StringComparer.Ordinal),
                PreserveUnknownFields = preserve,
                Nullable = nullable,
                Required = schema["required"] is JsonArray required ? [.. required.Select(r => r!.GetValue<string>())] : [],
            };
        }

        switch (schema["additionalProperties"])
        {
            case JsonObject additional:
                return new SchemaNode(SchemaType.Map) { Items = FromOpenApiV3(additional), Nullable = nullable };
            case JsonValue allowed when allowed.GetValueKind() == System.Text.Json.JsonValueKind.True:
                return new SchemaNode(SchemaType.Map) { Items = new SchemaNode(SchemaType.Any), Nullable = nullable };
        }

        return type == "object" && !preserve
            ? new SchemaNode(SchemaType.Object) { Properties = new Dictionary<string, SchemaNode>(), Nullable = nullable }
            : new SchemaNode(SchemaType.Any) { Nullable = nullable };
    }

    /// <summary>The OpenAPI v3 form, as the API server publishes it under <c>/openapi/v3</c>.</summary>
    public JsonObject ToOpenApiV3()
    {
        var result = new JsonObject();
        switch (Type)
        {
            case SchemaType.Any:
                result["type"] = "object";
                result["x-kubernetes-preserve-unknown-fields"] = true;
                break;
            case SchemaType.IntOrString:
                result["x-kubernetes-int-or-string"] = true;
                break;
            case SchemaType.Object:
                result["type"] = "object";
                if (Properties is { Count: > 0 })
                {
                    result["properties"] = new JsonObject(Properties.Select(p =>
                        KeyValuePair.Create<string, JsonNode?>(p.Key, p.Value.ToOpenApiV3())));
                }

                if (PreserveUnknownFields)
                {
                    result["x-kubernetes-preserve-unknown-fields"] = true;
                }

                if (Required.Count > 0)
                {
                    result["required"] = new JsonArray([.. Required.Select(r => (JsonNode)r)]);
                }

                break;
            case SchemaType.Map:
                result["type"] = "object";
                result["additionalProperties"] = Items!.ToOpenApiV3();
                break;
            case SchemaType.Array:
                result["type"] = "array";
                result["items"] = Items!.ToOpenApiV3();
                if (PatchMergeKey is not null)
                {
                    result["x-kubernetes-patch-merge-key"] = PatchMergeKey;
                }

                if (PatchStrategy is not null)
                {
                    result["x-kubernetes-patch-strategy"] = PatchStrategy;
                }

                break;
            default:
                result["type"] = Type.ToString().ToLowerInvariant();
                break;
        }

        if (Nullable)
        {
            result["nullable"] = true;
        }

        return result;
    }
}
