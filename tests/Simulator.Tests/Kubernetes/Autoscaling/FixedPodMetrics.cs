using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Tests.Kubernetes.Autoscaling;

/// <summary>The resource metrics API as a test sets it: every running selected pod uses <see cref="Millicores"/>, measured at <see cref="Now"/>.</summary>
public sealed class FixedPodMetrics : IPodMetricsSource
{
    public long Millicores { get; set; }

    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow.AddMinutes(1);

    /// <summary>When set, the API is not there: the HPA gets this error.</summary>
    public string? Error { get; set; }

    public (IReadOnlyDictionary<string, PodMetric>? Metrics, string? Error) GetPodMetrics(IClusterApi cluster, string @namespace, LabelSelector selector, string resource) =>
        Error is not null
            ? (null, Error)
            : (cluster.List("v1", "Pod", @namespace).Where(p => selector.MatchesObject(p) && p["status"]?["phase"]?.GetValue<string>() == "Running")
                .ToDictionary(ObjectFacts.Name, _ => new PodMetric(Millicores, Now, TimeSpan.FromSeconds(15))), null);
}
