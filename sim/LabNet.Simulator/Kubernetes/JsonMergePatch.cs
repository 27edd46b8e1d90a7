using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>RFC 7386 JSON merge patch (<c>application/merge-patch+json</c>, <c>kubectl patch --type merge</c>).</summary>
public static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = Apply(result[key], value);
            }
        }

        return result;
    }
}
