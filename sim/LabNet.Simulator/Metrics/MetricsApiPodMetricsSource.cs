using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Metrics;

/// <summary>
/// The HPA controller's resource metrics client: it reads <c>pods.metrics.k8s.io</c>, so it gets what the API gives
/// (nothing while metrics-server is not installed or not available, with the client's error words).
/// </summary>
public sealed class MetricsApiPodMetricsSource(ResourceMetrics metrics) : IPodMetricsSource
{
    public (IReadOnlyDictionary<string, PodMetric>? Metrics, string? Error) GetPodMetrics(IClusterApi cluster, string @namespace, LabelSelector selector, string resource)
    {
        var podMetrics = (cluster as ClusterApi)?.Catalog.FindByPlural(MetricsServerApi.Group, MetricsServerApi.Version, "pods");
        if (podMetrics?.Aggregated is not { } api)
        {
            return (null, "the server could not find the requested resource (get pods.metrics.k8s.io)");
        }

        if (!api.Available)
        {
            return (null, "the server is currently unable to handle the request (get pods.metrics.k8s.io)");
        }

        var snapshot = metrics.For(cluster).Latest;
        var result = new Dictionary<string, PodMetric>(StringComparer.Ordinal);
        foreach (var pod in snapshot.Pods.Where(p => p.Namespace == @namespace))
        {
            var labels = new System.Text.Json.Nodes.JsonObject(pod.Labels.Select(l => KeyValuePair.Create<string, System.Text.Json.Nodes.JsonNode?>(l.Key, l.Value)));
            if (!selector.Matches(labels))
            {
                continue;
            }

            var milli = resource == "memory" ? pod.MemoryBytes * 1000 : (long)Math.Ceiling(pod.CpuNanocores / 1e6);
            result[pod.Name] = new PodMetric(milli, snapshot.Timestamp, snapshot.Window);
        }

        return (result, null);
    }
}
