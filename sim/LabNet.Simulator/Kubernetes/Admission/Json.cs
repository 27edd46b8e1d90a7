using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes.Admission;

/// <summary>Small helpers for editing objects in wire form.</summary>
internal static class Json
{
    /// <summary>The object under <paramref name="name"/>, created empty when absent (or not an object).</summary>
    public static JsonObject Child(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[name] = created;
        return created;
    }
}
