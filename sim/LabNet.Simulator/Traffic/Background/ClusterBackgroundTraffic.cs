using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Hubble.Relay;
using LabNet.Simulator.Mesh;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Traffic.Background;

/// <summary>
/// The traffic a cluster carries by itself, derived at each step from its state: the kubelet's probes
/// (<see cref="KubeletProbes"/>), the pods' DNS lookups (<see cref="DnsLookups"/>), cilium-health between nodes
/// (<see cref="CiliumHealthProbes"/>) and hubble-relay's connections to the agents (<see cref="RelayPeerConnections"/>),
/// judged by the cluster's Cilium policy and recorded in its Hubble. Only nodes whose Cilium agent is Ready take part.
/// All choices come from one seeded generator; not thread-safe (one caller drives it).
/// </summary>
public sealed class ClusterBackgroundTraffic
{
    private readonly string _cluster;
    private readonly string _kubernetesVersion;
    private readonly IClusterDns _dns;
    private readonly BackgroundTrafficOptions _options;
    private readonly PeriodicSchedule _schedule;
    private readonly BackgroundConnections _connections;

    public ClusterBackgroundTraffic(string cluster, string kubernetesVersion, CiliumPolicyEngine engine, HubbleClusterFlows hubble, IClusterDns dns, BackgroundTrafficOptions options, int seed)
    {
        _cluster = cluster;
        _kubernetesVersion = kubernetesVersion;
        _dns = dns;
        _options = options;
        var random = new Random(seed);
        _schedule = new PeriodicSchedule(random);
        _connections = new BackgroundConnections(engine, hubble, random);
    }

    /// <summary>Connections simulated so far, by kind (<c>probe</c>, <c>dns</c>, <c>health</c>, <c>relay</c>).</summary>
    public IReadOnlyDictionary<string, long> Counts => _connections.Counts;

    /// <summary>Simulates what came due up to <paramref name="now"/> and publishes its flows.</summary>
    public void Step(TrafficTopology topology, DateTimeOffset now)
    {
        var step = new BackgroundStep(_cluster, _kubernetesVersion, topology, AgentNodes(topology), now, _schedule, _connections, _options, _dns);
        KubeletProbes.Run(step);
        DnsLookups.Run(step);
        CiliumHealthProbes.Run(step);
        RelayPeerConnections.Run(step);
        _schedule.Sweep();
        _connections.Publish();
    }

    /// <summary>The nodes where a Cilium agent pod (<c>k8s-app: cilium</c>) is Ready.</summary>
    public static IReadOnlyDictionary<string, TrafficNode> AgentNodes(TrafficTopology topology)
    {
        var ready = topology.Pods
            .Where(p => p.Namespace == "kube-system" && p.Label("k8s-app") == "cilium" && p.Ready && p.NodeName is not null)
            .Select(p => p.NodeName!)
            .ToHashSet(StringComparer.Ordinal);
        return (topology.Nodes ?? []).Where(n => ready.Contains(n.Name)).ToDictionary(n => n.Name, StringComparer.Ordinal);
    }
}
