using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// Strategic merge patch (<c>application/strategic-merge-patch+json</c>), what <c>kubectl apply</c>, <c>patch</c> and
/// <c>rollout restart</c> send for built-in kinds: maps merge, lists with a patch merge key merge element by element,
/// other lists are replaced; the directives <c>$patch</c> (delete/replace/merge), <c>$retainKeys</c>,
/// <c>$setElementOrder/&lt;list&gt;</c> and <c>$deleteFromPrimitiveList/&lt;list&gt;</c> are honoured.
/// </summary>
public static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    public static JsonObject Apply(JsonObject original, JsonObject patch, SchemaNode? schema) =>
        MergeMap(original, patch, schema) ?? new JsonObject();

    private static JsonObject? MergeMap(JsonObject? original, JsonObject patch, SchemaNode? schema)
    {
        var directive = patch[PatchDirective]?.GetValue<string>();
        if (directive == "delete")
        {
            return null;
        }

        if (directive == "replace")
        {
            return StripDirectives(patch);
        }

        if (directive is not null and not "merge")
        {
            throw new JsonPatchException($"Unknown patch type: {directive}");
        }

        var result = original is null ? new JsonObject() : (JsonObject)original.DeepClone();
        var orders = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (key is PatchDirective or RetainKeysDirective)
            {
                continue;
            }

            if (key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                if (value is JsonArray order)
                {
                    orders[key[SetElementOrderPrefix.Length..]] = order;
                }

                continue;
            }

            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                var field = key[DeleteFromPrimitiveListPrefix.Length..];
                if (result[field] is JsonArray existing && value is JsonArray toDelete)
                {
                    foreach (var item in existing.Where(e => toDelete.Any(d => JsonNode.DeepEquals(d, e))).ToList())
                    {
                        existing.Remove(item);
                    }
                }

                continue;
            }

            var fieldSchema = FieldSchema(schema, key);
            switch (value)
            {
                case null:
                    result.Remove(key);
                    break;
                case JsonObject patchObject:
                {
                    var merged = MergeMap(result[key] as JsonObject, patchObject, fieldSchema);
                    if (merged is null)
                    {
                        result.Remove(key);
                    }
                    else
                    {
                        result[key] = merged;
                    }

                    break;
                }

                case JsonArray patchList:
                    result[key] = MergeList(result[key] as JsonArray, patchList, fieldSchema);
                    break;
                default:
                    result[key] = value.DeepClone();
                    break;
            }
        }

        foreach (var (field, order) in orders)
        {
            if (result[field] is JsonArray list)
            {
                result[field] = Reorder(list, order, FieldSchema(schema, field)?.PatchMergeKey);
            }
        }

        if (patch[RetainKeysDirective] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var key in result.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                result.Remove(key);
            }
        }

        return result;
    }

    private static SchemaNode? FieldSchema(SchemaNode? schema, string key) => schema?.Type switch
    {
        SchemaType.Object => schema.Properties!.GetValueOrDefault(key),
        SchemaType.Map => schema.Items,
        _ => null,
    };

    private static JsonArray MergeList(JsonArray? original, JsonArray patch, SchemaNode? schema)
    {
        if (patch.Any(e => IsDirectiveOnly(e, "replace")))
        {
            return new JsonArray([.. patch.Where(e => !IsDirectiveOnly(e, null)).Select(Clean)]);
        }

        if (schema is not { Type: SchemaType.Array, MergesList: true } || original is null)
        {
            return new JsonArray([.. patch.Where(e => !IsDirectiveOnly(e, null) && !IsDelete(e)).Select(Clean)]);
        }

        var result = (JsonArray)original.DeepClone();
        var mergeKey = schema.PatchMergeKey;
        if (mergeKey is null)
        {
            foreach (var item in patch.Where(item => !result.Any(e => JsonNode.DeepEquals(e, item))))
            {
                result.Add(item?.DeepClone());
            }

            return result;
        }

        foreach (var item in patch)
        {
            if (item is not JsonObject patchElement)
            {
                result.Add(item?.DeepClone());
                continue;
            }

            var keyValue = patchElement[mergeKey];
            var index = IndexOf(result, mergeKey, keyValue);
            if (patchElement[PatchDirective]?.GetValue<string>() == "delete")
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }

                continue;
            }

            if (index >= 0)
            {
                result[index] = MergeMap(result[index] as JsonObject, patchElement, schema.Items);
            }
            else
            {
                result.Add(MergeMap(null, patchElement, schema.Items));
            }
        }

        return result;
    }

    private static bool IsDirectiveOnly(JsonNode? element, string? directive) =>
        element is JsonObject { Count: 1 } o && o[PatchDirective] is JsonValue v && (directive is null || v.GetValue<string>() == directive);

    private static bool IsDelete(JsonNode? element) =>
        element is JsonObject o && o[PatchDirective] is JsonValue v && v.GetValue<string>() == "delete";

    private static int IndexOf(JsonArray list, string mergeKey, JsonNode? keyValue)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is JsonObject element && JsonNode.DeepEquals(element[mergeKey], keyValue))
            {
                return i;
            }
        }

        return -1;
    }

    private static JsonArray Reorder(JsonArray list, JsonArray order, string? mergeKey)
    {
        JsonNode? Identity(JsonNode? element) => mergeKey is not null && element is JsonObject o ? o[mergeKey] : element;

        var remaining = list.Select(e => e?.DeepClone()).ToList();
        var ordered = new List<JsonNode?>();
        foreach (var wanted in order)
        {
            var wantedIdentity = Identity(wanted);
            var match = remaining.FindIndex(e => JsonNode.DeepEquals(Identity(e), wantedIdentity));
            if (match >= 0)
            {
                ordered.Add(remaining[match]);
                remaining.RemoveAt(match);
            }
        }

        return new JsonArray([.. ordered, .. remaining]);
    }

    private static JsonNode? Clean(JsonNode? node) => node is JsonObject o ? StripDirectives(o) : node?.DeepClone();

    private static JsonObject StripDirectives(JsonObject node)
    {
        var result = new JsonObject();
        foreach (var (key, value) in node)
        {
            if (key.StartsWith('$'))
            {
                continue;
            }

            result[key] = value switch
            {
                JsonObject o => StripDirectives(o),
                JsonArray a => new JsonArray([.. a.Select(Clean)]),
                _ => value?.DeepClone(),
            };
        }

        return result;
    }
}
