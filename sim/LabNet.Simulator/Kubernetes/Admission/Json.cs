using System.Globalization;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

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

    /// <summary>A JSON number as a double, whether it was parsed or built in memory from an int or long.</summary>
    public static double Number(JsonNode number) => double.Parse(number.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
}
