using LabNet.Simulator.Cilium.Labels;
using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Cilium.Parsing;

/// <summary>What each entity of <c>fromEntities</c>/<c>toEntities</c> selects (pkg/policy/api/entity.go).</summary>
public static class EntityPeers
{
    public static IReadOnlyList<PeerMatcher> For(string entity, string clusterName) => entity switch
    {
        "all" => [AllPeer.Instance],
        "world" or "world-ipv4" or "world-ipv6" => [Reserved("world")],
        "host" => [Reserved("host")],
        "remote-node" => [Reserved("remote-node")],
        "kube-apiserver" => [Reserved("kube-apiserver")],
        "init" => [Reserved("init")],
        "ingress" => [Reserved("ingress")],
        "health" => [Reserved("health")],
        "unmanaged" => [Reserved("unmanaged")],
        "none" => [Reserved("none")],
        // Everything inside the cluster: the reserved in-cluster identities and every pod of this cluster.
        "cluster" =>
        [
            Reserved("host"), Reserved("remote-node"), Reserved("init"), Reserved("ingress"), Reserved("health"),
            Reserved("unmanaged"), Reserved("kube-apiserver"),
            new SelectorPeer(new EndpointSelector([new LabelRequirement(LabelSources.K8s, IdentityLabelKeys.Cluster, SelectorOperator.In, [clusterName])])),
        ],
        _ => [],
    };

    private static SelectorPeer Reserved(string name) =>
        new(new EndpointSelector([new LabelRequirement(LabelSources.Reserved, name, SelectorOperator.Exists, [])]));
}
