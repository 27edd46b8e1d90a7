using System.Globalization;
using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes.Quantities;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Metrics;

/// <summary>
/// metrics-server's API (<c>metrics.k8s.io/v1beta1</c>, APIService <c>v1beta1.metrics.k8s.io</c>) for one cluster:
/// NodeMetrics and PodMetrics from the latest scrape of the cluster's <see cref="ResourceUsageModel"/>, in the wire
/// form <c>kubectl top</c> and the HPA controller read (CPU in nanocores, memory in Ki).
/// </summary>
public sealed class MetricsServerApi : AggregatedApi
{
    public const string Group = "metrics.k8s.io";
    public const string Version = "v1beta1";
    public const string ApiService = "v1beta1.metrics.k8s.io";

    private readonly Func<ResourceUsageSnapshot> _latest;
    private readonly TimeProvider _time;

    public MetricsServerApi(Func<ResourceUsageSnapshot> latest, TimeProvider time)
    {
        _latest = latest;
        _time = time;
        PrinterColumn[] nodeColumns =
        [
            new("Name", "string", "name", "Name must be unique within a namespace.", 0, ".metadata.name"),
            new("CPU", "string", "", "CPU usage of the node.", 0, ".usage.cpu"),
            new("Memory", "string", "", "Memory usage of the node.", 0, ".usage.memory"),
            new("Window", "string", "", "Length of the window the usage was measured over.", 0, ".window"),
        ];
        PrinterColumn[] podColumns =
        [
            new("Name", "string", "name", "Name must be unique within a namespace.", 0, ".metadata.name"),
            new("Window", "string", "", "Length of the window the usage was measured over.", 0, ".window"),
        ];
        Nodes = new ResourceType(Group, Version, "NodeMetrics", "nodes", "", false, [], [], false, false, false, false, nodeColumns, BuiltInSchemas.Loose, [])
        {
            Aggregated = this,
        };
        Pods = new ResourceType(Group, Version, "PodMetrics", "pods", "", true, [], [], false, false, false, false, podColumns, BuiltInSchemas.Loose, [])
        {
            Aggregated = this,
        };
    }

    public override string ApiServiceName => ApiService;

    public ResourceType Nodes { get; }

    public ResourceType Pods { get; }

    public override IReadOnlyList<ResourceType> Resources => [Nodes, Pods];

    public override List<JsonObject> List(ResourceType type, string? @namespace, LabelSelector labels)
    {
        var snapshot = _latest();
        return type.Kind == "NodeMetrics"
            ? [.. snapshot.Nodes.Where(n => labels.Matches(Json(n.Labels))).OrderBy(n => n.Name, StringComparer.Ordinal).Select(n => Node(n, snapshot))]
            : [.. snapshot.Pods.Where(p => (@namespace is null || p.Namespace == @namespace) && labels.Matches(Json(p.Labels)))
                .OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).Select(p => Pod(p, snapshot))];
    }

    public override JsonObject Get(ResourceType type, string? @namespace, string name)
    {
        var snapshot = _latest();
        return type.Kind == "NodeMetrics"
            ? snapshot.Nodes.FirstOrDefault(n => n.Name == name) is { } node ? Node(node, snapshot) : throw KubernetesApiException.NotFound(type, name)
            : snapshot.Pods.FirstOrDefault(p => p.Namespace == @namespace && p.Name == name) is { } pod ? Pod(pod, snapshot) : throw KubernetesApiException.NotFound(type, name);
    }

    private JsonObject Node(NodeUsage node, ResourceUsageSnapshot snapshot) => new()
    {
        ["kind"] = "NodeMetrics",
        ["apiVersion"] = $"{Group}/{Version}",
        ["metadata"] = Metadata(node.Name, null, node.Labels),
        ["timestamp"] = Timestamp(snapshot.Timestamp),
        ["window"] = Window(snapshot.Window),
        ["usage"] = Usage(node.CpuNanocores, node.MemoryBytes),
    };

    private JsonObject Pod(PodUsage pod, ResourceUsageSnapshot snapshot) => new()
    {
        ["kind"] = "PodMetrics",
        ["apiVersion"] = $"{Group}/{Version}",
        ["metadata"] = Metadata(pod.Name, pod.Namespace, pod.Labels),
        ["timestamp"] = Timestamp(snapshot.Timestamp),
        ["window"] = Window(snapshot.Window),
        ["containers"] = new JsonArray([.. pod.Containers.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name,
            ["usage"] = Usage(c.CpuNanocores, c.MemoryBytes),
        })]),
    };

    /// <summary>metrics-server stamps each answer with the time it was made.</summary>
    private JsonObject Metadata(string name, string? @namespace, IReadOnlyDictionary<string, string> labels)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (@namespace is not null)
        {
            metadata["namespace"] = @namespace;
        }

        metadata["creationTimestamp"] = Timestamp(_time.GetUtcNow());
        if (labels.Count > 0)
        {
            metadata["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create<string, JsonNode?>(l.Key, l.Value)));
        }

        return metadata;
    }

    private static JsonObject Json(IReadOnlyDictionary<string, string> labels) =>
        new(labels.Select(l => KeyValuePair.Create<string, JsonNode?>(l.Key, l.Value)));

    private static JsonObject Usage(long cpuNanocores, long memoryBytes) => new()
    {
        ["cpu"] = Quantity.FromNano(cpuNanocores).ToString(),
        ["memory"] = Quantity.FromBytes(memoryBytes).ToString(),
    };

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A Go duration as metav1.Duration prints it (<c>15.012s</c>).</summary>
    private static string Window(TimeSpan window)
    {
        var seconds = Math.Round(window.TotalSeconds, 3);
        var minutes = (int)(seconds / 60);
        var rest = (seconds - minutes * 60).ToString("0.###", CultureInfo.InvariantCulture) + "s";
        return minutes > 0 ? $"{minutes}m{rest}" : rest;
    }
}
