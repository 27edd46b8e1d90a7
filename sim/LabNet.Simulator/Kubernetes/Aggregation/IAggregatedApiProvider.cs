namespace LabNet.Simulator.Kubernetes;

/// <summary>Knows the extension API server behind an APIService (e.g. metrics-server behind <c>v1beta1.metrics.k8s.io</c>).</summary>
public interface IAggregatedApiProvider
{
    /// <summary>The API for that APIService on that cluster, or null when this provider does not serve it.</summary>
    AggregatedApi? Create(IClusterApi cluster, string apiServiceName);
}
