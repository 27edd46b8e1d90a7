namespace LabNet.Simulator.Kubernetes;

/// <summary>One pod's usage of a resource from the resource metrics API: milli-units summed over its containers.</summary>
public sealed record PodMetric(long MilliValue, DateTimeOffset Timestamp, TimeSpan Window);

/// <summary>The resource metrics API as the HPA controller reads it (<c>pods.metrics.k8s.io</c> by label selector).</summary>
public interface IPodMetricsSource
{
    /// <summary>Metrics by pod name; or the error the metrics client gives (the API is not there or not available).</summary>
    (IReadOnlyDictionary<string, PodMetric>? Metrics, string? Error) GetPodMetrics(IClusterApi cluster, string @namespace, LabelSelector selector, string resource);
}
