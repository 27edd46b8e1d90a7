using System.Collections.Concurrent;
using LabNet.Hubble.FlowApi;
using LabNet.Hubble.ObserverApi;
using LabNet.Simulator.Hubble.Flows;

namespace LabNet.Simulator.Hubble.Relay;

/// <summary>
/// What the Hubble servers of one cluster's nodes hold: a ring buffer per node, fed with the flows the twin's traffic
/// produces. The cluster's relay reads these; a relay restart does not lose them (they live in the agents).
/// </summary>
public sealed class HubbleClusterFlows
{
    private readonly ConcurrentDictionary<string, NodeFlowRing> _rings = new(StringComparer.Ordinal);
    private TaskCompletionSource _published = NewSignal();

    public HubbleClusterFlows(string clusterName, int ringCapacityPerNode, DateTimeOffset startedAt, int uuidSeed, IEnumerable<string>? nodeNames = null)
    {
        ClusterName = clusterName;
        RingCapacityPerNode = ringCapacityPerNode;
        StartedAt = startedAt;
        Builder = new HubbleFlowBuilder(clusterName, new FlowUuidSource(uuidSeed));
        foreach (var node in nodeNames ?? [])
        {
            RingOf($"{clusterName}/{node}");
        }
    }

    public string ClusterName { get; }

    public int RingCapacityPerNode { get; }

    /// <summary>When the cluster's Hubble servers started (uptime).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Builds this cluster's flows (cluster name in node names, its seeded uuids).</summary>
    public HubbleFlowBuilder Builder { get; }

    public IReadOnlyList<NodeFlowRing> Rings => _rings.Values.OrderBy(r => r.NodeName, StringComparer.Ordinal).ToArray();

    /// <summary>A node's Hubble server (its agent) is up: its ring exists, empty until its first flow.</summary>
    public void AddNode(string node) => RingOf($"{ClusterName}/{node}");

    /// <summary>Completes at the next <see cref="Publish"/>; followers wait on it.</summary>
    public Task NextPublish => Volatile.Read(ref _published).Task;

    /// <summary>Records flows at the nodes named in their <c>node_name</c>, each node's in one step.</summary>
    public void Publish(IReadOnlyList<Flow> flows)
    {
        if (flows.Count == 0)
        {
            return;
        }

        var first = flows[0].NodeName;
        if (flows.All(f => f.NodeName == first))
        {
            RingOf(first).Append(ToEvents(flows));
        }
        else
        {
            foreach (var group in flows.GroupBy(f => f.NodeName))
            {
                RingOf(group.Key).Append(ToEvents(group.ToList()));
            }
        }

        Interlocked.Exchange(ref _published, NewSignal()).TrySetResult();
    }

    private static GetFlowsResponse[] ToEvents(IReadOnlyList<Flow> flows)
    {
        var events = new GetFlowsResponse[flows.Count];
        for (var i = 0; i < events.Length; i++)
        {
            var flow = flows[i];
            events[i] = new GetFlowsResponse { Flow = flow, NodeName = flow.NodeName, Time = flow.Time };
        }

        return events;
    }

    private NodeFlowRing RingOf(string nodeName) =>
        _rings.GetOrAdd(nodeName, static (name, capacity) => new NodeFlowRing(name, capacity), RingCapacityPerNode);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
