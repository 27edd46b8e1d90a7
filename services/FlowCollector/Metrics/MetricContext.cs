using System.Diagnostics;

namespace LabNet.FlowCollector.Metrics;

/// <summary>
/// The context labels every Hubble metric carries here, as Hubble's <c>labelsContext</c> option names them
/// (source_namespace, source_workload, destination_namespace, destination_workload) plus the cluster the flow came
/// from and the destination's <c>version</c> label (the Istio subset a canary analysis compares).
/// </summary>
public readonly record struct MetricContext(
    string Cluster,
    string SourceNamespace,
    string SourceWorkload,
    string DestinationNamespace,
    string DestinationWorkload,
    string DestinationVersion)
{
    /// <summary>Where flows go once the number of distinct contexts reaches the configured cap.</summary>
    public static MetricContext Other { get; } = new("other", "other", "other", "other", "other", "other");

    public void AddTo(ref TagList tags)
    {
        tags.Add("cluster", Cluster);
        tags.Add("source_namespace", SourceNamespace);
        tags.Add("source_workload", SourceWorkload);
        tags.Add("destination_namespace", DestinationNamespace);
        tags.Add("destination_workload", DestinationWorkload);
        tags.Add("destination_version", DestinationVersion);
    }
}
