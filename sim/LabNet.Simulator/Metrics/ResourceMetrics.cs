using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Metrics;

/// <summary>
/// Every cluster's resource usage model (one per cluster API instance: a re-created cluster starts afresh), and
/// whether the cluster runs a metrics-server that can scrape its kubelets.
/// </summary>
public sealed class ResourceMetrics(int seed)
{
    private readonly ConcurrentDictionary<string, (IClusterApi Api, ResourceUsageModel Model)> _models = new(StringComparer.Ordinal);

    public ResourceUsageModel For(IClusterApi cluster)
    {
        var name = cluster.Bootstrap.Name;
        var entry = _models.AddOrUpdate(name,
            _ => (cluster, new ResourceUsageModel(name, seed)),
            (_, existing) => ReferenceEquals(existing.Api, cluster) ? existing : (cluster, new ResourceUsageModel(name, seed)));
        return entry.Model;
    }

    /// <summary>
    /// Whether the metrics-server behind the APIService can read the kubelets: kubeadm's kubelets serve a self-signed
    /// certificate without IP SANs, so metrics-server needs <c>--kubelet-insecure-tls</c> (without it every scrape fails
    /// with "x509: cannot validate certificate ... because it doesn't contain any IP SANs").
    /// </summary>
    public static bool CanScrape(IClusterApi cluster)
    {
        var apiService = cluster.Get("apiregistration.k8s.io/v1", "APIService", null, MetricsServerApi.ApiService);
        if (apiService?["spec"]?["service"] is not JsonObject service)
        {
            return false;
        }

        var ns = service["namespace"]?.GetValue<string>() ?? "";
        var selector = LabelSelector.FromMap(cluster.Get("v1", "Service", ns, service["name"]?.GetValue<string>() ?? "")?["spec"]?["selector"] as JsonObject);
        return cluster.List("apps/v1", "Deployment", ns)
            .Where(d => selector.Matches(d["spec"]?["template"]?["metadata"]?["labels"] as JsonObject))
            .SelectMany(d => (d["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
            .SelectMany(c => (c["args"] as JsonArray ?? []).Concat(c["command"] as JsonArray ?? []))
            .Any(a => a?.GetValue<string>() is "--kubelet-insecure-tls" or "--kubelet-insecure-tls=true");
    }
}
