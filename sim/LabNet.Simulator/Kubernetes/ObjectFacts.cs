using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>Small readings of wire-form objects that the controllers and the Table printer share.</summary>
public static class ObjectFacts
{
    public static string Name(JsonObject obj) => obj["metadata"]!["name"]!.GetValue<string>();

    public static string? Namespace(JsonObject obj) => obj["metadata"]?["namespace"]?.GetValue<string>();

    public static string Uid(JsonObject obj) => obj["metadata"]!["uid"]!.GetValue<string>();

    public static bool IsOwnedBy(JsonObject obj, string ownerUid) =>
        obj["metadata"]?["ownerReferences"] is JsonArray refs && refs.Any(r => r?["uid"]?.GetValue<string>() == ownerUid);

    public static JsonObject ControllerReference(string apiVersion, string kind, JsonObject owner) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["name"] = Name(owner),
        ["uid"] = Uid(owner),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    public static JsonObject? Condition(JsonObject obj, string type) =>
        (obj["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);

    public static bool IsConditionTrue(JsonObject obj, string type) => Condition(obj, type)?["status"]?.GetValue<string>() == "True";

    public static bool IsPodReady(JsonObject pod) => IsConditionTrue(pod, "Ready");

    public static bool IsNodeReady(JsonObject node) => IsConditionTrue(node, "Ready");

    /// <summary>
    /// Whether the kubelet points the pod's resolver at kube-dns: dnsPolicy ClusterFirst (the default) unless the pod
    /// uses the host's network (then it falls back to Default, the node's resolver), or ClusterFirstWithHostNet.
    /// </summary>
    public static bool UsesClusterDns(JsonObject pod)
    {
        var dnsPolicy = pod["spec"]?["dnsPolicy"]?.GetValue<string>() ?? "ClusterFirst";
        var hostNetwork = pod["spec"]?["hostNetwork"]?.GetValue<bool>() == true;
        return dnsPolicy == "ClusterFirstWithHostNet" || (dnsPolicy == "ClusterFirst" && !hostNetwork);
    }

    public static string? NodeInternalIp(JsonObject node) =>
        (node["status"]?["addresses"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(a => a["type"]?.GetValue<string>() == "InternalIP")?["address"]?.GetValue<string>();

    /// <summary>A number whichever way it was made (parsed from a body, or set from C# as int or long).</summary>
    public static long Long(JsonNode? node, long fallback = 0) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? (long)d
            : fallback;

    public static int Int(JsonNode? node, int fallback = 0) => (int)Long(node, fallback);

    public static bool IsNumber(JsonNode? node) => node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number;

    /// <summary>The pod-template-hash the deployment controller puts on ReplicaSets: FNV-32a of the template, in safe characters.</summary>
    public static string TemplateHash(JsonNode template)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(Canonical(template)))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Concat(hash.ToString(CultureInfo.InvariantCulture).Select(c => alphabet[c % alphabet.Length]));
    }

    /// <summary>JSON with object keys sorted, so equal objects give equal text whatever order their fields came in.</summary>
    public static string Canonical(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, node);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                writer.WriteStartObject();
                foreach (var (key, value) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray a:
                writer.WriteStartArray();
                foreach (var value in a)
                {
                    Write(writer, value);
                }

                writer.WriteEndArray();
                break;
            case null:
                writer.WriteNullValue();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
