using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// core/v1 Events as the cluster's components record them (scheduler, kubelet, ReplicaSet and deployment controllers),
/// so <c>kubectl describe</c> and <c>kubectl get events</c> tell what happened, as on a real cluster.
/// </summary>
internal sealed class EventRecorder(ClusterApi cluster)
{
    public void Normal(JsonObject involved, string reason, string message, string component, string? host = null) =>
        Record(involved, "Normal", reason, message, component, host);

    public void Warning(JsonObject involved, string reason, string message, string component, string? host = null) =>
        Record(involved, "Warning", reason, message, component, host);

    private void Record(JsonObject involved, string type, string reason, string message, string component, string? host)
    {
        var events = cluster.Catalog.FindByPlural("", "v1", "events")!;
        var metadata = involved["metadata"]!;
        var ns = metadata["namespace"]?.GetValue<string>() ?? "default";
        var now = cluster.Now();
        var source = new JsonObject { ["component"] = component };
        if (host is not null)
        {
            source["host"] = host;
        }

        var ev = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = $"{metadata["name"]}.{cluster.Names.NextEventSuffix()}", ["namespace"] = ns },
            ["involvedObject"] = new JsonObject
            {
                ["apiVersion"] = involved["apiVersion"]?.DeepClone(),
                ["kind"] = involved["kind"]?.DeepClone(),
                ["name"] = metadata["name"]?.DeepClone(),
                ["namespace"] = metadata["namespace"]?.DeepClone(),
                ["resourceVersion"] = metadata["resourceVersion"]?.DeepClone(),
                ["uid"] = metadata["uid"]?.DeepClone(),
            },
            ["reason"] = reason,
            ["message"] = message,
            ["source"] = source,
            ["firstTimestamp"] = now,
            ["lastTimestamp"] = now,
            ["count"] = 1,
            ["type"] = type,
            ["eventTime"] = null,
            ["reportingComponent"] = component,
            ["reportingInstance"] = host ?? "",
        };
        try
        {
            cluster.CreateTrusted(events, ns, ev);
        }
        catch (KubernetesApiException)
        {
            // Like client-go's recorder: an event that cannot be written (namespace terminating) is dropped.
        }
    }
}
