namespace LabNet.FlowCollector.Flows;

/// <summary>The parts of a Hubble <c>Endpoint</c> that give metric context: namespace, workload, app and version labels.</summary>
public sealed class FlowEndpoint
{
    public string ClusterName { get; set; } = "";

    public string Namespace { get; set; } = "";

    /// <summary>The first entry of <c>workloads</c> (what Hubble's <c>workload-name</c> context uses).</summary>
    public string Workload { get; set; } = "";

    /// <summary>Value of the <c>k8s:app</c> label.</summary>
    public string App { get; set; } = "";

    /// <summary>Value of the <c>k8s:version</c> label (Istio's subset convention).</summary>
    public string Version { get; set; } = "";

    public uint Identity { get; set; }

    public void Reset()
    {
        ClusterName = "";
        Namespace = "";
        Workload = "";
        App = "";
        Version = "";
        Identity = 0;
    }
}
