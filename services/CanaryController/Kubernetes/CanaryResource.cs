using System.Text.Json;
using System.Text.Json.Nodes;
using LabNet.Canary;
using LabNet.CanaryController.Resources;
using LabNet.CanaryController.Serialization;

namespace LabNet.CanaryController.Kubernetes;

/// <summary>
/// A Canary as read from the API server: identity, the spec and status in the decision core's types, and the wire
/// object (kept to write status back through the status subresource). A spec or status that cannot be read is kept as
/// an error message, never guessed. A status with parts in a shape an older controller wrote is read without them, and
/// <see cref="StatusOutdated"/> says which, so the decision core can start that analysis again.
/// </summary>
public sealed record CanaryResource(
    string Namespace,
    string Name,
    string Uid,
    string ResourceVersion,
    long Generation,
    IReadOnlyDictionary<string, string> Annotations,
    CanarySpec? Spec,
    string? SpecError,
    CanaryStatus Status,
    string? StatusError,
    JsonObject Wire,
    string? StatusOutdated = null)
{
    public string Key => $"{Namespace}/{Name}";

    public static CanaryResource FromWire(JsonObject wire)
    {
        var metadata = wire["metadata"]?.AsObject() ?? throw new JsonException("The object has no metadata.");
        var ns = metadata["namespace"]?.GetValue<string>() ?? "default";
        var name = metadata["name"]?.GetValue<string>() ?? throw new JsonException("The object has no metadata.name.");
        var annotations = metadata["annotations"] is JsonObject a
            ? a.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.ToString())
            : [];

        var (spec, specError) = ReadSpec(wire["spec"], ns);
        var (status, statusError, statusOutdated) = ReadStatus(wire["status"]);
        return new CanaryResource(
            ns,
            name,
            metadata["uid"]?.GetValue<string>() ?? "",
            metadata["resourceVersion"]?.GetValue<string>() ?? "",
            metadata["generation"]?.GetValue<long>() ?? 1,
            annotations,
            spec,
            specError,
            status,
            statusError,
            wire,
            statusOutdated);
    }

    private static (CanarySpec?, string?) ReadSpec(JsonNode? node, string canaryNamespace)
    {
        if (node is not JsonObject spec)
        {
            return (null, "spec is missing: a Canary needs spec.target (service, virtualService, destinationRule).");
        }

        try
        {
            // target.namespace is optional in the CRD: the Canary's own namespace.
            var copy = spec.DeepClone().AsObject();
            if (copy["target"] is JsonObject target && target["namespace"] is null)
            {
                target["namespace"] = canaryNamespace;
            }

            return (copy.Deserialize<CanarySpec>(CanaryJson.Options), null);
        }
        catch (JsonException e)
        {
            return (null, $"spec cannot be read: {e.Message}");
        }
    }

    private static (CanaryStatus, string?, string?) ReadStatus(JsonNode? node)
    {
        if (node is not JsonObject status || status.Count == 0)
        {
            return (new CanaryStatus(), null, null);
        }

        var current = status.DeepClone().AsObject();
        var outdated = new List<string>();
        foreach (var field in HistogramFields)
        {
            // Before the FlowCollector's histogram was the contract, status kept explicit bounds in ms (upperBoundsMs,
            // counts, total); an API server that prunes unknown fields leaves just the counts.
            if (current[field] is JsonObject histogram && (histogram.ContainsKey("upperBoundsMs") || !histogram.ContainsKey("offset")))
            {
                current.Remove(field);
                outdated.Add($"status.{field}");
            }
        }

        var outdatedReason = outdated.Count == 0
            ? null
            : $"{string.Join(" and ", outdated)} {(outdated.Count == 1 ? "is a latency histogram" : "are latency histograms")} in the older explicit-bounds shape";
        try
        {
            return (current.Deserialize<CanaryStatus>(CanaryJson.Options) ?? new CanaryStatus(), null, outdatedReason);
        }
        catch (JsonException e)
        {
            return (new CanaryStatus(), $"status cannot be read: {e.Message}", null);
        }
    }

    private static readonly string[] HistogramFields = ["stepCanaryLatency", "stableLatencyReference"];
}
