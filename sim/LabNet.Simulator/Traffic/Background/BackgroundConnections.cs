using LabNet.Hubble.FlowApi;
using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Cilium.Policy;
using LabNet.Simulator.Hubble.Flows;
using LabNet.Simulator.Hubble.Relay;
using LabNet.Simulator.Mesh;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Traffic.Background;

/// <summary>
/// The connections of one cluster's background traffic in one step: each end's identity from the cluster's engine, each
/// connection judged by it (<see cref="CiliumPolicyEngine.Decide(SecurityIdentity, SecurityIdentity, IpProtocol, int)"/>)
/// and turned into Hubble's flows by the cluster's builder, then published at once, in time order. Every connection ends
/// before the instant it is simulated for, so Hubble never holds a flow from the future. Not thread-safe.
/// </summary>
public sealed class BackgroundConnections(CiliumPolicyEngine engine, HubbleClusterFlows hubble, Random random)
{
    private readonly List<Flow> _batch = new(256);
    private Dictionary<string, FlowEndpoint> _endpoints = new(StringComparer.Ordinal);
    private Dictionary<string, FlowEndpoint> _used = new(StringComparer.Ordinal);

    public Random Random { get; } = random;

    /// <summary>Connections simulated so far, by kind (<c>probe</c>, <c>dns</c>, <c>health</c>, <c>relay</c>).</summary>
    public Dictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

    public FlowEndpoint Pod(TrafficPod pod) => Cached("pod/" + pod.Key, () => PodFlowEndpoint.Of(pod, engine));

    /// <summary>A node's own network namespace (kubelet, agents, host-network pods) as seen on that node: <c>reserved:host</c>.</summary>
    public FlowEndpoint Host(TrafficNode node) =>
        Cached("host/" + node.Name + "/" + node.Address, () => new FlowEndpoint(node.Address, engine.IdentityOf(new ReservedEndpoint(ReservedEntity.Host, node.Address, node.Name)), NodeName: node.Name));

    /// <summary>
    /// Another node, as the node it talks to sees it: <c>reserved:remote-node</c>. It has no node of its own here, so its
    /// connections are recorded where the other end is (cross-node trace points are not simulated).
    /// </summary>
    public FlowEndpoint RemoteNode(TrafficNode node) =>
        Cached("remote/" + node.Name + "/" + node.Address, () => new FlowEndpoint(node.Address, engine.IdentityOf(new ReservedEndpoint(ReservedEntity.RemoteNode, node.Address, node.Name))));

    /// <summary>A node's cilium-health endpoint: <c>reserved:health</c>, a Cilium endpoint of its own on the node.</summary>
    public FlowEndpoint Health(TrafficNode node) =>
        Cached("health/" + node.Name + "/" + node.HealthAddress, () => new FlowEndpoint(node.HealthAddress!, engine.IdentityOf(new ReservedEndpoint(ReservedEntity.Health, node.HealthAddress, node.Name)),
            NodeName: node.Name, EndpointId: HealthEndpointId(node.Name)));

    /// <summary>One connection that ended at <paramref name="end"/> after <paramref name="duration"/> (or is still open), judged and recorded.</summary>
    public ConnectionVerdict Connect(string kind, FlowEndpoint source, FlowEndpoint destination, IpProtocol protocol, int port, DateTimeOffset end, TimeSpan duration,
        ServiceName? service = null, SimulatedHttpExchange? http = null, bool open = false)
    {
        var verdict = engine.Decide(source.Identity, destination.Identity, protocol, port);
        var connection = Connection(source, destination, protocol, port, end, duration, service, open);
        _batch.AddRange(hubble.Builder.Build(connection, verdict, http));
        Count(kind);
        return verdict;
    }

    /// <summary>One DNS lookup to kube-dns (<see cref="KubeDnsLookup"/>), with the DNS proxy's records when a <c>rules.dns</c> egress rule puts it in the path.</summary>
    public DnsLookupOutcome Lookup(FlowEndpoint client, FlowEndpoint server, ServiceName service, SimulatedDnsExchange dns, DateTimeOffset end)
    {
        Count("dns");
        return KubeDnsLookup.Record(engine, hubble.Builder, client, server, service, dns, end, 32768 + Random.Next(28232), _batch);
    }

    /// <summary>Records the step's flows in the cluster's Hubble and forgets the endpoints the step did not use.</summary>
    public void Publish()
    {
        _batch.Sort(static (a, b) => a.Time.CompareTo(b.Time));
        hubble.Publish(_batch);
        _batch.Clear();
        (_endpoints, _used) = (_used, _endpoints);
        _used.Clear();
    }

    private SimulatedConnection Connection(FlowEndpoint source, FlowEndpoint destination, IpProtocol protocol, int port, DateTimeOffset end, TimeSpan duration, ServiceName? service, bool open) =>
        new(source, destination, protocol, 32768 + Random.Next(28232), port, end - duration - TimeSpan.FromMilliseconds(1), duration, service, open);

    private FlowEndpoint Cached(string key, Func<FlowEndpoint> create)
    {
        if (!_used.TryGetValue(key, out var endpoint))
        {
            endpoint = _endpoints.TryGetValue(key, out var kept) ? kept : create();
            _used[key] = endpoint;
        }

        return endpoint;
    }

    private void Count(string kind) => Counts[kind] = Counts.GetValueOrDefault(kind) + 1;

    /// <summary>A stable endpoint id per node for its health endpoint (Cilium gives it one of the node's local ids).</summary>
    private static uint HealthEndpointId(string node)
    {
        uint hash = 2166136261;
        foreach (var c in "health/" + node)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }

        return 1 + hash % 4095;
    }
}
