using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Hubble.Flows;

namespace LabNet.Simulator.Workloads;

/// <summary>A pod as one end of a connection: its address, node and workload, and the security identity its cluster's engine gives it.</summary>
public static class PodFlowEndpoint
{
    public static FlowEndpoint Of(TrafficPod pod, CiliumPolicyEngine engine)
    {
        var identity = engine.IdentityOf(new PodEndpoint(pod.Namespace, pod.Name, pod.Labels, pod.Ip, pod.ServiceAccount, null, pod.NodeName));
        return new FlowEndpoint(pod.Ip, identity, pod.Namespace, pod.Name, pod.NodeName, pod.Workload, pod.Workload is null ? null : "Deployment", pod.CiliumEndpointId);
    }
}
