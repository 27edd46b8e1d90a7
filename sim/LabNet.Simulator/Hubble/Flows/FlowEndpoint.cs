using System.Net;
using LabNet.Simulator.Cilium.Identity;

namespace LabNet.Simulator.Hubble.Flows;

/// <summary>
/// One end of a simulated connection as Hubble shows it: where it is (IP, node), who it is (namespace, pod, workload)
/// and its security identity from the policy engine. Endpoints outside the cluster have no pod, namespace or node.
/// </summary>
/// <param name="EndpointId">Cilium's local endpoint id (Hubble's <c>Endpoint.ID</c>); 0 for what is not a local endpoint.</param>
public sealed record FlowEndpoint(
    IPAddress Address,
    SecurityIdentity Identity,
    string? Namespace = null,
    string? PodName = null,
    string? NodeName = null,
    string? WorkloadName = null,
    string? WorkloadKind = null,
    uint EndpointId = 0)
{
    public bool IsPod => PodName is not null;
}
