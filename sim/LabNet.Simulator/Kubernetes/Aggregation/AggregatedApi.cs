using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// An API an extension server serves behind the kube-aggregator (an APIService with a <c>service</c>): its resources
/// appear in discovery while the APIService exists, and requests reach it only while the APIService is Available;
/// otherwise the API server answers 503, as kube-aggregator does for a backend it cannot reach.
/// </summary>
public abstract class AggregatedApi
{
    private volatile bool _available;

    /// <summary>The APIService that registers it, e.g. <c>v1beta1.metrics.k8s.io</c>.</summary>
    public abstract string ApiServiceName { get; }

    /// <summary>The resources it serves (get and list only).</summary>
    public abstract IReadOnlyList<ResourceType> Resources { get; }

    /// <summary>Set by the aggregator from the APIService's Available condition.</summary>
    public bool Available
    {
        get => _available;
        set => _available = value;
    }

    public abstract List<JsonObject> List(ResourceType type, string? @namespace, LabelSelector labels);

    public abstract JsonObject Get(ResourceType type, string? @namespace, string name);

    /// <summary>What kube-aggregator answers while its backend is unavailable.</summary>
    public static KubernetesApiException Unavailable() =>
        new(503, "ServiceUnavailable", "the server is currently unable to handle the request");
}
