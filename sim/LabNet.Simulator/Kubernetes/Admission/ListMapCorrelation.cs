using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// Which old element an element of a list is "the same as" for ratcheting and transition rules: only lists of type
/// map correlate, by their keys; other lists' elements have no old value.
/// </summary>
public static class ListMapCorrelation
{
    public static JsonNode?[] Correlate(JsonArray current, JsonArray? old, SchemaValidation? validation)
    {
        var result = new JsonNode?[current.Count];
        if (old is null || validation is not { ListType: "map", ListMapKeys.Count: > 0 })
        {
            return result;
        }

        for (var i = 0; i < current.Count; i++)
        {
            var key = Key(current[i], validation.ListMapKeys);
            result[i] = old.FirstOrDefault(o => Key(o, validation.ListMapKeys) == key);
        }

        return result;
    }

    public static string Key(JsonNode? element, IReadOnlyList<string> keys) =>
        string.Join("\u0000", keys.Select(k => element?[k]?.ToJsonString() ?? "null"));
}
