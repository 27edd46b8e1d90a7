using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// What the API server does to a custom resource while decoding it, after pruning (<c>structuraldefaulting</c>):
/// a null in a field that is not nullable is dropped, or replaced by the field's default; an absent field with a
/// default gets it; defaults apply top-down, so a defaulted object gets its own fields' defaults too.
/// </summary>
public static class StructuralDefaulting
{
    public static void Apply(JsonNode? node, SchemaNode? schema)
    {
        switch (node)
        {
            case JsonObject obj when schema is { Type: SchemaType.Object, Properties: { } properties }:
                foreach (var (name, property) in properties)
                {
                    var present = obj.TryGetPropertyValue(name, out var value);
                    if (present && value is null && !property.Nullable)
                    {
                        if (property.Validation?.Default is null)
                        {
                            obj.Remove(name);
                            continue;
                        }

                        present = false;
                    }

                    if (!present && property.Validation?.Default is { } defaultValue)
                    {
                        obj[name] = defaultValue.DeepClone();
                    }
                }

                foreach (var (name, value) in obj.ToList())
                {
                    if (properties.TryGetValue(name, out var property))
                    {
                        Apply(value, property);
                    }
                }

                break;
            case JsonObject map when schema is { Type: SchemaType.Map, Items: { } values }:
                foreach (var (_, value) in map.ToList())
                {
                    Apply(value, values);
                }

                break;
            case JsonArray array when schema is { Type: SchemaType.Array, Items: { } items }:
                foreach (var item in array)
                {
                    Apply(item, items);
                }

                break;
        }
    }
}
