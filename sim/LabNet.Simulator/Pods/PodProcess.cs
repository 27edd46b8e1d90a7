using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Pods;

/// <summary>
/// Where a process runs: one container of one pod of one cluster, as the pod was when the process started. Commands
/// read the rest of the twin (kube-dns, the data plane, Cilium's state) through <see cref="Services"/>.
/// </summary>
public sealed record PodProcess(
    IClusterApi Cluster,
    JsonObject Pod,
    string Container,
    ContainerImage Image,
    bool Tty,
    PodRuntimeServices Services)
{
    public string ClusterName => Cluster.Bootstrap.Name;

    public string Namespace => Pod["metadata"]?["namespace"]?.GetValue<string>() ?? "default";

    public string PodName => Pod["metadata"]?["name"]?.GetValue<string>() ?? "";

    public string NodeName => Pod["spec"]?["nodeName"]?.GetValue<string>() ?? "";

    public string? PodIp => Pod["status"]?["podIP"]?.GetValue<string>();

    public bool HostNetwork => Pod["spec"]?["hostNetwork"]?.GetValue<bool>() == true;

    /// <summary>The container's spec (env, command, args), null if the pod has no container of that name.</summary>
    public JsonObject? ContainerSpec =>
        (Pod["spec"]?["containers"] as JsonArray ?? []).Concat(Pod["spec"]?["initContainers"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .FirstOrDefault(c => c["name"]?.GetValue<string>() == Container);

    /// <summary>The hostname the process sees: the pod name, or the node's for host-network pods.</summary>
    public string Hostname => HostNetwork ? NodeName : PodName;
}
