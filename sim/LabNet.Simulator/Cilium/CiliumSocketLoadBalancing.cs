using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Cilium;

/// <summary>
/// Where Cilium's socket-level load balancing turns a ClusterIP into a backend's address, from the agents' config
/// (<c>cilium-config</c>): with kube-proxy replacement it does so at <c>connect()</c> in every network namespace, pods
/// included, unless <c>bpf-lb-sock-hostns-only</c> (the chart's <c>socketLB.hostNamespaceOnly</c>) limits it to the
/// host's. Inside a pod that runs an Istio sidecar, the translation happens before the sidecar sees the connection.
/// </summary>
public static class CiliumSocketLoadBalancing
{
    public static bool TranslatesInPods(IClusterApi api)
    {
        var data = api.Get("v1", "ConfigMap", "kube-system", "cilium-config")?["data"];
        return data?["kube-proxy-replacement"]?.GetValue<string>() == "true"
            && data["bpf-lb-sock-hostns-only"]?.GetValue<string>() != "true";
    }
}
