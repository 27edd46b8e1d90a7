using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// The cluster's CNI as the kubelet sees it when it sets up a pod sandbox. Until a CNI is installed (the Cilium
/// install replaces <see cref="NoCniPodNetwork"/>), sandboxes cannot be created and pods stay ContainerCreating.
/// </summary>
public interface IPodNetwork
{
    /// <summary>Gives the pod (already scheduled to <paramref name="node"/>) its IP, or says why it cannot.</summary>
    PodNetworkAttachment Attach(JsonObject pod, JsonObject node);

    /// <summary>Returns the pod's IP to the pool when the pod is gone.</summary>
    void Detach(JsonObject pod);
}

/// <summary>The result of setting up a pod's network: its IP, or the kubelet's reason for failing.</summary>
public sealed record PodNetworkAttachment(string? PodIp, string? FailureMessage)
{
    public static PodNetworkAttachment Attached(string podIp) => new(podIp, null);

    public static PodNetworkAttachment Failed(string message) => new(null, message);
}

/// <summary>A cluster without a CNI: the kubelet cannot create pod sandboxes, as on a fresh kubeadm cluster.</summary>
public sealed class NoCniPodNetwork : IPodNetwork
{
    public static NoCniPodNetwork Instance { get; } = new();

    public PodNetworkAttachment Attach(JsonObject pod, JsonObject node) => PodNetworkAttachment.Failed(
        "network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized");

    public void Detach(JsonObject pod)
    {
    }
}
