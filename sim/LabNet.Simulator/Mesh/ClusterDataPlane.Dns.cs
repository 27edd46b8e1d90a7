using LabNet.Hubble.FlowApi;
using LabNet.Simulator.Hubble.Flows;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Mesh;

/// <summary>A pod's DNS lookups through the cluster's datapath (<see cref="KubeDnsLookup"/>).</summary>
public sealed partial class ClusterDataPlane
{
    /// <summary>
    /// Carries the lookup that got <paramref name="answer"/> from <paramref name="client"/> to a CoreDNS pod, ending at
    /// <paramref name="end"/>, and adds its flows to <paramref name="into"/> (the caller dates and <see cref="Publish"/>es
    /// them with what follows). A pod on the host's network or without kube-dns in its resolv.conf asks elsewhere, and a
    /// cluster without a ready CoreDNS pod has no one to ask: not carried.
    /// </summary>
    public DnsLookupOutcome Lookup(TrafficPod client, DnsAnswer answer, TrafficTopology topology, DateTimeOffset end, Random random, List<Flow> into)
    {
        var (service, servers) = KubeDnsLookup.Servers(topology);
        if (service is null || servers.Count == 0 || client.HostNetwork || !client.UsesClusterDns || client.AddressModeled)
        {
            return DnsLookupOutcome.NotCarried;
        }

        var server = servers[servers.Count == 1 ? 0 : random.Next(servers.Count)];
        var exchange = KubeDnsLookup.Exchange(answer, client.Namespace, TimeSpan.FromMilliseconds(0.3 + random.NextDouble()));
        return KubeDnsLookup.Record(_policy, _hubble.Builder, Endpoint(client), Endpoint(server), _serviceNames.GetValue(service, static s => new ServiceName(s.Name, s.Namespace)),
            exchange, end, 32768 + random.Next(28232), into);
    }

    /// <summary>Records flows in the cluster's Hubble.</summary>
    public void Publish(IReadOnlyList<Flow> flows) => _hubble.Publish(flows);
}
