using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Metrics;

/// <summary>The twin's metrics-server is the server behind <c>v1beta1.metrics.k8s.io</c> on every cluster.</summary>
public sealed class MetricsServerApiProvider(ResourceMetrics metrics, TimeProvider time) : IAggregatedApiProvider
{
    public AggregatedApi? Create(IClusterApi cluster, string apiServiceName) =>
        apiServiceName == MetricsServerApi.ApiService ? new MetricsServerApi(() => metrics.For(cluster).Latest, time) : null;
}
