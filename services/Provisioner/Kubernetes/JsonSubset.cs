using System.Text.Json.Nodes;

namespace LabNet.Provisioner.Kubernetes;

/// <summary>
/// Compares a manifest with the live object: the live one "contains" the manifest when every field the manifest sets
/// has that value live (the server adds defaults, uids and status the manifest never mentions).
/// </summary>
public static class JsonSubset
{
    public static bool Contains(JsonNode? live, JsonNode? desired) => (live, desired) switch
    {
        (_, null) => true,
        (JsonObject liveObject, JsonObject desiredObject) => desiredObject.All(p => liveObject.TryGetPropertyValue(p.Key, out var value) && Contains(value, p.Value)),
        (JsonArray liveArray, JsonArray desiredArray) => liveArray.Count == desiredArray.Count && desiredArray.Select((d, i) => Contains(liveArray[i], d)).All(x => x),
        (JsonValue liveValue, JsonValue desiredValue) => JsonNode.DeepEquals(liveValue, desiredValue) || liveValue.ToJsonString() == desiredValue.ToJsonString(),
        _ => false,
    };

    /// <summary>The live object with the manifest's fields written over it: objects merge, lists and values are replaced.</summary>
    public static JsonObject Overlay(JsonObject live, JsonObject desired)
    {
        var merged = (JsonObject)live.DeepClone();
        foreach (var (key, value) in desired)
        {
            merged[key] = merged[key] is JsonObject liveChild && value is JsonObject desiredChild
                ? Overlay(liveChild, desiredChild)
                : value?.DeepClone();
        }

        return merged;
    }
}
