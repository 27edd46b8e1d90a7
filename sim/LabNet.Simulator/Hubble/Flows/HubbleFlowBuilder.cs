using System.Runtime.CompilerServices;
using Google.Protobuf.WellKnownTypes;
using LabNet.Hubble.FlowApi;
using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Policy;
using EngineDirection = LabNet.Simulator.Cilium.Engine.TrafficDirection;
using EngineDropReason = LabNet.Simulator.Cilium.Engine.DropReason;
using EngineVerdict = LabNet.Simulator.Cilium.Engine.FlowVerdict;
using Endpoint = LabNet.Hubble.FlowApi.Endpoint;
using HubbleDirection = LabNet.Hubble.FlowApi.TrafficDirection;
using HubbleDropReason = LabNet.Hubble.FlowApi.DropReason;

// Hubble still fills the deprecated drop_reason, reply and Summary fields; so do we.
#pragma warning disable CS0612

namespace LabNet.Simulator.Hubble.Flows;

/// <summary>
/// Turns a simulated connection and its policy verdict into the flows Hubble would record, at the nodes that would
/// observe them: policy-verdict events for each enforcing side, drop events for a denied connection, datapath traces for
/// the TCP handshake and teardown (or a UDP request and reply), and the L7 proxy's access-log records when the proxy is in
/// the path. Thread-safe.
/// </summary>
public sealed class HubbleFlowBuilder(string clusterName, FlowUuidSource uuids, string ciliumVersion = HubbleFlowBuilder.DefaultCiliumVersion)
{
    public const string DefaultCiliumVersion = "1.19.4";

    // The datapath events of one connection are microseconds apart.
    private static readonly TimeSpan PacketGap = TimeSpan.FromTicks(500);

    private readonly ConditionalWeakTable<FlowEndpoint, Endpoint> _endpoints = new();
    private readonly ConditionalWeakTable<PolicyReference, Policy> _policies = new();
    private readonly Emitter _emitter = new() { Name = "Hubble", Version = ciliumVersion };

    public string ClusterName { get; } = clusterName;

    /// <summary>
    /// Every flow of the connection, in time order. With <paramref name="http"/> and the proxy in the path, the L7
    /// request and response records of the proxies that saw the request are included.
    /// </summary>
    public List<Flow> Build(SimulatedConnection connection, ConnectionVerdict verdict, SimulatedHttpExchange? http = null)
    {
        var flows = new List<Flow>(12);
        AddConnectionFlows(connection, verdict, http is not null && verdict.L7ProxyInPath ? http : null, null, flows);
        flows.Sort(static (a, b) => a.Time.CompareTo(b.Time));
        return flows;
    }

    /// <summary>
    /// Every flow of a DNS lookup's connection, in time order. When the source's egress policy puts Cilium's DNS proxy in
    /// the path (<c>rules.dns</c>), the proxy's request and response records are included: a query the rules do not allow
    /// is logged DROPPED and answered REFUSED by the proxy itself.
    /// </summary>
    public List<Flow> Build(SimulatedConnection connection, ConnectionVerdict verdict, SimulatedDnsExchange dns)
    {
        ArgumentNullException.ThrowIfNull(dns);
        var flows = new List<Flow>(8);
        AddConnectionFlows(connection, verdict, null, verdict.IsForwarded && verdict.Egress.Proxy is { Parser: L7Parser.Dns } ? dns : null, flows);
        flows.Sort(static (a, b) => a.Time.CompareTo(b.Time));
        return flows;
    }

    private void AddConnectionFlows(SimulatedConnection c, ConnectionVerdict verdict, SimulatedHttpExchange? http, SimulatedDnsExchange? dns, List<Flow> flows)
    {
        var t0 = c.StartedAt;
        var sourceNode = c.Source.NodeName ?? c.Destination.NodeName;
        var destinationNode = c.Destination.NodeName ?? c.Source.NodeName;
        var tcp = c.Protocol == IpProtocol.Tcp;
        var opening = tcp ? TcpFlagSet.Syn : TcpFlagSet.None;

        // Policy-verdict events: one per side whose policy is enforced, at that side's node.
        if (c.Source.IsPod && verdict.Egress.Enforced)
        {
            flows.Add(PolicyVerdictFlow(c, verdict.Egress, t0, sourceNode, opening));
        }

        if (verdict.Egress.Allowed && c.Destination.IsPod && verdict.Ingress is { Enforced: true } ingress)
        {
            flows.Add(PolicyVerdictFlow(c, ingress, t0, destinationNode, opening));
        }

        if (!verdict.IsForwarded)
        {
            var dropped = verdict.DroppedBy!;
            var node = dropped.Direction == EngineDirection.Egress ? sourceNode : destinationNode;
            flows.Add(DropFlow(c, dropped, t0 + PacketGap, node, opening));
            return;
        }

        var requestPoint = verdict.Egress.Proxy is not null || verdict.Ingress?.Proxy is not null ? TracePoint.ToProxy : TracePoint.ToEndpoint;
        var requestNode = verdict.Egress.Proxy is not null ? sourceNode : destinationNode;
        var t = t0 + PacketGap;
        if (tcp)
        {
            flows.Add(TraceFlow(c, t, requestNode, requestPoint, TraceReason.New, reply: false, TcpFlagSet.Syn));
            flows.Add(TraceFlow(c, t += PacketGap, sourceNode, TracePoint.ToEndpoint, TraceReason.Reply, reply: true, TcpFlagSet.SynAck));
            flows.Add(TraceFlow(c, t += PacketGap, requestNode, requestPoint, TraceReason.Established, reply: false, TcpFlagSet.Ack));
        }
        else
        {
            flows.Add(TraceFlow(c, t, requestNode, requestPoint, TraceReason.New, reply: false, TcpFlagSet.None));
        }

        if (http is not null)
        {
            AddHttpFlows(c, verdict, http, t + PacketGap, flows);
        }

        if (dns is not null)
        {
            AddDnsFlows(c, verdict.Egress.Proxy!, dns, t + PacketGap, sourceNode, flows);
        }

        if (c.Open)
        {
            return;
        }

        var end = t0 + (c.Duration > TimeSpan.Zero ? c.Duration : PacketGap * 8);
        if (end <= t + PacketGap)
        {
            end = t + PacketGap * 2;
        }

        if (tcp)
        {
            flows.Add(TraceFlow(c, end, requestNode, requestPoint, TraceReason.Established, reply: false, TcpFlagSet.AckFin));
            flows.Add(TraceFlow(c, end + PacketGap, sourceNode, TracePoint.ToEndpoint, TraceReason.Reply, reply: true, TcpFlagSet.AckFin));
        }
        else
        {
            flows.Add(TraceFlow(c, end, sourceNode, TracePoint.ToEndpoint, TraceReason.Reply, reply: true, TcpFlagSet.None));
        }
    }

    /// <summary>
    /// The access-log records of each proxy that saw the request: the client's egress proxy first, then the server's
    /// ingress proxy. A proxy that denies the request logs it DROPPED and answers 403 itself; the server never sees it.
    /// </summary>
    private void AddHttpFlows(SimulatedConnection c, ConnectionVerdict verdict, SimulatedHttpExchange http, DateTimeOffset at, List<Flow> flows)
    {
        var httpVerdict = verdict.EvaluateHttp(new HttpRequestInfo(http.Method, http.Path, http.Authority, http.Headers));
        var deniedAt = httpVerdict.IsAllowed ? (EngineDirection?)null : httpVerdict.Direction;
        var sides = new List<(EngineDirection Direction, string? Node)>(2);
        if (verdict.Egress.Proxy is not null)
        {
            sides.Add((EngineDirection.Egress, c.Source.NodeName ?? c.Destination.NodeName));
        }

        if (verdict.Ingress?.Proxy is not null && deniedAt != EngineDirection.Egress)
        {
            sides.Add((EngineDirection.Ingress, c.Destination.NodeName ?? c.Source.NodeName));
        }

        var denied = deniedAt is not null;
        var code = denied ? HttpVerdict.AccessDeniedStatusCode : http.StatusCode;

        // A denial is answered by the proxy at once; otherwise the server's latency applies.
        var latency = denied ? TimeSpan.FromTicks(2_000) : http.Latency;
        foreach (var (direction, node) in sides)
        {
            var requestVerdict = direction == deniedAt ? Verdict.Dropped : Verdict.Forwarded;
            flows.Add(HttpFlow(c, http, at, node, direction, L7FlowType.Request, requestVerdict, 0, TimeSpan.Zero));
            flows.Add(HttpFlow(c, http, at + latency, node, direction, L7FlowType.Response, Verdict.Forwarded, code, latency));
        }
    }

    /// <summary>
    /// The DNS proxy's records on the client's node: the query, then the answer (the server's, or the proxy's REFUSED for
    /// a name the rules do not allow), summarised as Hubble prints them.
    /// </summary>
    private void AddDnsFlows(SimulatedConnection c, L7Policy proxy, SimulatedDnsExchange dns, DateTimeOffset at, string? node, List<Flow> flows)
    {
        var allowed = proxy.AllowsDns(dns.Query);
        var request = DnsFlow(c, at, node, L7FlowType.Request, allowed ? Verdict.Forwarded : Verdict.Dropped, TimeSpan.Zero);
        request.L7.Dns = new DNS { Query = dns.Query, ObservationSource = "proxy" };
        request.L7.Dns.Qtypes.Add(dns.QueryType);
        request.Summary = $"DNS Query {dns.Query} {dns.QueryType}";
        flows.Add(request);

        var latency = allowed ? dns.Latency : TimeSpan.FromTicks(2_000);
        var response = DnsFlow(c, at + latency, node, L7FlowType.Response, Verdict.Forwarded, latency);
        var code = allowed ? dns.ResponseCode : SimulatedDnsExchange.Refused;
        var record = new DNS { Query = dns.Query, Rcode = (uint)code, ObservationSource = "proxy" };
        record.Qtypes.Add(dns.QueryType);
        if (code == SimulatedDnsExchange.NoError)
        {
            record.Ttl = dns.Ttl;
            record.Ips.AddRange(dns.Addresses.Select(a => a.ToString()));
            record.Rrtypes.Add(dns.QueryType);
        }

        response.L7.Dns = record;
        response.Summary = code == SimulatedDnsExchange.NoError
            ? $"DNS Answer \"{string.Join(',', record.Ips)}\" TTL: {dns.Ttl} (Proxy {dns.Query} {dns.QueryType})"
            : $"DNS Answer RCode: {(code == SimulatedDnsExchange.Refused ? "Refused" : code == SimulatedDnsExchange.NameError ? "Non-Existent Domain" : code.ToString(System.Globalization.CultureInfo.InvariantCulture))} TTL: 4294967295 (Proxy {dns.Query} {dns.QueryType})";
        flows.Add(response);
    }

    private Flow DnsFlow(SimulatedConnection c, DateTimeOffset at, string? node, L7FlowType type, Verdict verdict, TimeSpan latency)
    {
        var response = type == L7FlowType.Response;
        var flow = L7Flow(c, at, node, EngineDirection.Egress, response, verdict);
        flow.L7 = new Layer7 { Type = type, LatencyNs = response ? (ulong)(latency.Ticks * 100) : 0 };
        return flow;
    }

    /// <summary>An access-log record of the proxy on <paramref name="direction"/>'s side: the request's ends, or the response's.</summary>
    private Flow L7Flow(SimulatedConnection c, DateTimeOffset at, string? node, EngineDirection direction, bool response, Verdict verdict)
    {
        var (from, to, fromPort, toPort) = response
            ? (c.Destination, c.Source, c.DestinationPort, c.SourcePort)
            : (c.Source, c.Destination, c.SourcePort, c.DestinationPort);
        var flow = NewFlow(at, node);
        flow.Type = FlowType.L7;
        flow.Verdict = verdict;
        flow.EventType = new CiliumEventType { Type = HubbleEventTypes.AccessLog };
        flow.TrafficDirection = ToHubble(direction);
        flow.IP = new IP { Source = from.Address.ToString(), Destination = to.Address.ToString(), IpVersion = IPVersion.Ipv4 };
        flow.L4 = c.Protocol == IpProtocol.Udp
            ? new Layer4 { UDP = new UDP { SourcePort = (uint)fromPort, DestinationPort = (uint)toPort } }
            : new Layer4 { TCP = new TCP { SourcePort = (uint)fromPort, DestinationPort = (uint)toPort } };
        flow.Source = EndpointOf(from);
        flow.Destination = EndpointOf(to);
        flow.IsReply = response;
        flow.Reply = response;
        SetServices(flow, c, response);
        return flow;
    }

    private Flow PolicyVerdictFlow(SimulatedConnection c, PolicyDecision decision, DateTimeOffset at, string? node, TcpFlagSet flags)
    {
        var flow = L3L4Flow(c, at, node, reply: false, flags);
        flow.Verdict = ToHubble(decision.PolicyVerdict);
        flow.EventType = new CiliumEventType { Type = HubbleEventTypes.PolicyVerdict };
        flow.TrafficDirection = ToHubble(decision.Direction);
        flow.PolicyMatchType = (uint)decision.MatchType;
        if (!decision.Allowed)
        {
            flow.DropReason = (uint)decision.DropReason;
            flow.DropReasonDesc = ToHubble(decision.DropReason);
        }

        var target = decision.Direction == EngineDirection.Egress
            ? decision.Allowed ? flow.EgressAllowedBy : flow.EgressDeniedBy
            : decision.Allowed ? flow.IngressAllowedBy : flow.IngressDeniedBy;
        foreach (var policy in decision.Policies)
        {
            target.Add(_policies.GetValue(policy, ToHubble));
        }

        return flow;
    }

    private Flow DropFlow(SimulatedConnection c, PolicyDecision decision, DateTimeOffset at, string? node, TcpFlagSet flags)
    {
        var flow = L3L4Flow(c, at, node, reply: false, flags);
        flow.Verdict = Verdict.Dropped;
        flow.DropReason = (uint)decision.DropReason;
        flow.DropReasonDesc = ToHubble(decision.DropReason);
        flow.EventType = new CiliumEventType { Type = HubbleEventTypes.Drop, SubType = (int)decision.DropReason };
        flow.TrafficDirection = ToHubble(decision.Direction);
        flow.File = new LabNet.Hubble.FlowApi.FileInfo { Name = "bpf_lxc.c", Line = decision.Direction == EngineDirection.Egress ? 1391u : 2127u };
        return flow;
    }

    private Flow TraceFlow(SimulatedConnection c, DateTimeOffset at, string? node, TracePoint point, TraceReason reason, bool reply, TcpFlagSet flags)
    {
        var flow = L3L4Flow(c, at, node, reply, flags);
        flow.Verdict = Verdict.Forwarded;
        var toProxy = point == TracePoint.ToProxy;
        flow.EventType = new CiliumEventType { Type = HubbleEventTypes.Trace, SubType = toProxy ? HubbleEventTypes.TraceToProxy : HubbleEventTypes.TraceToEndpoint };
        flow.TraceObservationPoint = toProxy ? TraceObservationPoint.ToProxy : TraceObservationPoint.ToEndpoint;
        flow.TraceReason = reason;

        // Traces of a connection carry the direction of the connection relative to the observing endpoint's policy.
        flow.TrafficDirection = c.Destination.IsPod ? HubbleDirection.Ingress : HubbleDirection.Egress;
        return flow;
    }

    private Flow L3L4Flow(SimulatedConnection c, DateTimeOffset at, string? node, bool reply, TcpFlagSet flags)
    {
        var (from, to, fromPort, toPort) = reply
            ? (c.Destination, c.Source, c.DestinationPort, c.SourcePort)
            : (c.Source, c.Destination, c.SourcePort, c.DestinationPort);
        var flow = NewFlow(at, node);
        flow.Type = FlowType.L3L4;
        flow.IP = new IP { Source = from.Address.ToString(), Destination = to.Address.ToString(), IpVersion = IPVersion.Ipv4 };
        flow.Source = EndpointOf(from);
        flow.Destination = EndpointOf(to);
        flow.IsReply = reply;
        flow.Reply = reply;
        SetServices(flow, c, reply);
        switch (c.Protocol)
        {
            case IpProtocol.Tcp:
                var tcpFlags = new TCPFlags { SYN = flags.HasFlag(TcpFlagSet.Syn), ACK = flags.HasFlag(TcpFlagSet.Ack), FIN = flags.HasFlag(TcpFlagSet.Fin) };
                flow.L4 = new Layer4 { TCP = new TCP { SourcePort = (uint)fromPort, DestinationPort = (uint)toPort, Flags = tcpFlags } };
                flow.Summary = "TCP Flags: " + flags switch
                {
                    TcpFlagSet.Syn => "SYN",
                    TcpFlagSet.SynAck => "SYN, ACK",
                    TcpFlagSet.Ack => "ACK",
                    TcpFlagSet.AckFin => "ACK, FIN",
                    _ => flags.ToString().ToUpperInvariant(),
                };
                break;
            case IpProtocol.Udp:
                flow.L4 = new Layer4 { UDP = new UDP { SourcePort = (uint)fromPort, DestinationPort = (uint)toPort } };
                flow.Summary = "UDP";
                break;
            case IpProtocol.Sctp:
                flow.L4 = new Layer4 { SCTP = new SCTP { SourcePort = (uint)fromPort, DestinationPort = (uint)toPort } };
                flow.Summary = "SCTP";
                break;
            default:
                flow.L4 = new Layer4 { ICMPv4 = new ICMPv4 { Type = reply ? 0u : 8u } };
                flow.Summary = reply ? "ICMPv4 EchoReply" : "ICMPv4 EchoRequest";
                break;
        }

        return flow;
    }

    private Flow HttpFlow(SimulatedConnection c, SimulatedHttpExchange http, DateTimeOffset at, string? node, EngineDirection proxy, L7FlowType type, Verdict verdict, int code, TimeSpan latency)
    {
        var response = type == L7FlowType.Response;
        var flow = L7Flow(c, at, node, proxy, response, verdict);
        var record = new HTTP { Method = http.Method, Url = http.Url, Protocol = http.Protocol };
        if (http.Headers is { Count: > 0 } headers)
        {
            foreach (var (key, value) in headers.OrderBy(h => h.Key, StringComparer.Ordinal))
            {
                record.Headers.Add(new HTTPHeader { Key = key, Value = value });
            }
        }

        if (response)
        {
            record.Code = (uint)code;
        }

        flow.L7 = new Layer7 { Type = type, LatencyNs = response ? (ulong)(latency.Ticks * 100) : 0, Http = record };
        flow.Summary = response
            ? $"{http.Protocol} {code} {(long)latency.TotalMilliseconds}ms ({http.Method} {http.Url})"
            : $"{http.Protocol} {http.Method} {http.Url}";
        return flow;
    }

    private Flow NewFlow(DateTimeOffset at, string? node) => new()
    {
        Time = Timestamp.FromDateTimeOffset(at),
        Uuid = uuids.Next(),
        Emitter = _emitter,
        NodeName = node is null ? ClusterName : $"{ClusterName}/{node}",
    };

    private static void SetServices(Flow flow, SimulatedConnection c, bool reply)
    {
        if (c.DestinationService is { } service)
        {
            var message = new Service { Name = service.Name, Namespace = service.Namespace };
            if (reply)
            {
                flow.SourceService = message;
            }
            else
            {
                flow.DestinationService = message;
            }
        }
    }

    private Endpoint EndpointOf(FlowEndpoint endpoint) => _endpoints.GetValue(endpoint, e =>
    {
        var message = new Endpoint { ID = e.EndpointId, Identity = e.Identity.Id };
        message.Labels.AddRange(e.Identity.Labels.Formatted);
        if (e.IsPod)
        {
            message.ClusterName = ClusterName;
            message.Namespace = e.Namespace ?? "";
            message.PodName = e.PodName!;
            if (e.WorkloadName is not null)
            {
                message.Workloads.Add(new Workload { Name = e.WorkloadName, Kind = e.WorkloadKind ?? "Deployment" });
            }
        }

        return message;
    });

    private static Policy ToHubble(PolicyReference policy)
    {
        var message = new Policy { Name = policy.Name, Namespace = policy.Namespace, Revision = policy.Revision, Kind = policy.Kind };
        message.Labels.AddRange(policy.Labels);
        return message;
    }

    private static Verdict ToHubble(EngineVerdict verdict) => verdict switch
    {
        EngineVerdict.Forwarded => Verdict.Forwarded,
        EngineVerdict.Dropped => Verdict.Dropped,
        EngineVerdict.Redirected => Verdict.Redirected,
        _ => Verdict.Unknown,
    };

    private static HubbleDirection ToHubble(EngineDirection direction) => direction switch
    {
        EngineDirection.Ingress => HubbleDirection.Ingress,
        EngineDirection.Egress => HubbleDirection.Egress,
        _ => HubbleDirection.Unknown,
    };

    private static HubbleDropReason ToHubble(EngineDropReason reason) => reason switch
    {
        EngineDropReason.PolicyDenied => HubbleDropReason.PolicyDenied,
        EngineDropReason.PolicyDeny => HubbleDropReason.PolicyDeny,
        _ => HubbleDropReason.Unknown,
    };

    private enum TracePoint
    {
        ToEndpoint,
        ToProxy,
    }

    [Flags]
    private enum TcpFlagSet
    {
        None = 0,
        Syn = 1,
        Ack = 2,
        Fin = 4,
        SynAck = Syn | Ack,
        AckFin = Ack | Fin,
    }
}
