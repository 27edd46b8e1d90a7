using LabNet.Simulator.Mesh;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Traffic.Background;

/// <summary>
/// What one step of a cluster's background traffic works from: the cluster's state now, the nodes whose Cilium agent
/// runs (only they have a Hubble to record flows, and only their endpoints have a datapath), and where the flows go.
/// </summary>
public sealed class BackgroundStep(
    string cluster,
    string kubernetesVersion,
    TrafficTopology topology,
    IReadOnlyDictionary<string, TrafficNode> agentNodes,
    DateTimeOffset now,
    PeriodicSchedule schedule,
    BackgroundConnections connections,
    BackgroundTrafficOptions options,
    IClusterDns dns)
{
    private readonly List<DateTimeOffset> _times = new(8);

    public string Cluster { get; } = cluster;

    /// <summary>The cluster's Kubernetes version (<c>v1.31.14</c>): the kubelet's probes say <c>kube-probe/1.31</c>.</summary>
    public string KubernetesVersion { get; } = kubernetesVersion;

    public TrafficTopology Topology { get; } = topology;

    /// <summary>The nodes whose Cilium agent is Ready, by name.</summary>
    public IReadOnlyDictionary<string, TrafficNode> AgentNodes { get; } = agentNodes;

    public DateTimeOffset Now { get; } = now;

    public PeriodicSchedule Schedule { get; } = schedule;

    public BackgroundConnections Connections { get; } = connections;

    public BackgroundTrafficOptions Options { get; } = options;

    public IClusterDns Dns { get; } = dns;

    /// <summary>The pods with an address that Cilium gave them on a node whose agent runs: the endpoints of the datapath.</summary>
    public IEnumerable<TrafficPod> Endpoints =>
        Topology.Pods.Where(p => !p.HostNetwork && !p.AddressModeled && p.NodeName is not null && AgentNodes.ContainsKey(p.NodeName));

    /// <summary>When the activity runs within this step (see <see cref="PeriodicSchedule.Due"/>); the list is reused by the next call.</summary>
    public IReadOnlyList<DateTimeOffset> Due(string key, TimeSpan period, bool memoryless = false)
    {
        _times.Clear();
        Schedule.Due(key, period, Now, memoryless, _times);
        return _times;
    }
}
