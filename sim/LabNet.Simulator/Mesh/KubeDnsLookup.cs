using LabNet.Hubble.FlowApi;
using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Policy;
using LabNet.Simulator.Hubble.Flows;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Mesh;

/// <summary>
/// A pod's DNS lookup as the datapath carries it: UDP to port 53 of a ready CoreDNS pod behind the kube-dns Service,
/// judged by the client's cluster's Cilium policy and recorded as Hubble flows. Dropped, the resolver hears nothing and
/// gives up; through Cilium's DNS proxy (an egress rule with <c>rules.dns</c>), a name the rules do not allow is REFUSED.
/// </summary>
public static class KubeDnsLookup
{
    public const int Port = 53;

    /// <summary>musl's resolver (Alpine images: curl, nginx) waits 5 s in all for an answer that does not come.</summary>
    public static readonly TimeSpan ResolverTimeout = TimeSpan.FromSeconds(5);

    /// <summary>kube-dns and the pods a lookup can reach: ready, with an address of the pod network; none without the Service.</summary>
    public static (TrafficService? Service, IReadOnlyList<TrafficPod> Servers) Servers(TrafficTopology topology)
    {
        if (topology.Service("kube-system", "kube-dns") is not { } service)
        {
            return (null, []);
        }

        return (service, topology.Backends(service).Where(p => p.Ready && !p.AddressModeled && !p.HostNetwork && p.NodeName is not null).ToArray());
    }

    /// <summary>
    /// The query the resolver sends for <paramref name="answer"/>: the name that answered (fully qualified, trailing dot),
    /// else the first the search path makes of it, and kube-dns's answer to it.
    /// </summary>
    public static SimulatedDnsExchange Exchange(DnsAnswer answer, string clientNamespace, TimeSpan latency)
    {
        var query = answer.CanonicalName is { } canonical
            ? canonical + "."
            : answer.Name.EndsWith('.') ? answer.Name : $"{answer.Name}.{clientNamespace}.svc.cluster.local.";
        return new SimulatedDnsExchange(query, answer.Addresses, answer.Found ? SimulatedDnsExchange.NoError : SimulatedDnsExchange.NameError, latency);
    }

    /// <summary>Judges one lookup that ended at <paramref name="end"/>, adds its flows to <paramref name="into"/> and says how it went.</summary>
    public static DnsLookupOutcome Record(CiliumPolicyEngine engine, HubbleFlowBuilder builder, FlowEndpoint client, FlowEndpoint server, ServiceName service,
        SimulatedDnsExchange dns, DateTimeOffset end, int sourcePort, List<Flow> into)
    {
        var verdict = engine.Decide(client.Identity, server.Identity, IpProtocol.Udp, Port);
        var duration = dns.Latency + TimeSpan.FromMilliseconds(0.2);
        var connection = new SimulatedConnection(client, server, IpProtocol.Udp, sourcePort, Port, end - duration - TimeSpan.FromMilliseconds(1), duration, service);
        into.AddRange(builder.Build(connection, verdict, dns));
        return !verdict.IsForwarded ? DnsLookupOutcome.Dropped
            : verdict.Egress.Proxy is { Parser: L7Parser.Dns } proxy && !proxy.AllowsDns(dns.Query) ? DnsLookupOutcome.Refused
            : DnsLookupOutcome.Answered;
    }
}

/// <summary>How a lookup through the datapath went.</summary>
public enum DnsLookupOutcome
{
    /// <summary>kube-dns answered (an address, or NXDOMAIN).</summary>
    Answered,

    /// <summary>Cilium's DNS proxy answered REFUSED: its rules do not allow the name.</summary>
    Refused,

    /// <summary>Policy dropped the query: no answer comes.</summary>
    Dropped,

    /// <summary>The cluster has no ready CoreDNS pod the twin knows of; the lookup was not carried.</summary>
    NotCarried,
}
