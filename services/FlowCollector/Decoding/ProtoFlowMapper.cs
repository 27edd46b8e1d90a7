using LabNet.FlowCollector.Flows;
using LabNet.Hubble.FlowApi;
using Endpoint = LabNet.Hubble.FlowApi.Endpoint;

namespace LabNet.FlowCollector.Decoding;

/// <summary>
/// Fills a <see cref="FlowRecord"/> from a protobuf <see cref="Flow"/> (the relay's GetFlows stream), with the same
/// meaning as the JSON decoder. Label values are cached so repeated labels cost no allocation. Not thread-safe.
/// </summary>
public sealed class ProtoFlowMapper(string probeHeader = FlowCollectorOptions.DefaultProbeHeader)
{
    private const int MaxCachedLabels = 16_384;

    // "k8s:app=httpbin" -> ("app", "httpbin"); other labels -> (null, null).
    private readonly Dictionary<string, (string? Key, string? Value)> _labels = new(StringComparer.Ordinal);

    public void Fill(Flow flow, string envelopeNodeName, Google.Protobuf.WellKnownTypes.Timestamp? envelopeTime, FlowRecord record)
    {
        record.Reset();
        var time = flow.Time ?? envelopeTime;
        record.TimeUnixNanos = time is null ? 0 : time.Seconds * 1_000_000_000L + time.Nanos;
        record.NodeName = envelopeNodeName.Length > 0 ? envelopeNodeName : flow.NodeName;
        record.UuidHash = flow.Uuid.Length == 0 ? 0 : Utf8Hash.Compute64(System.Text.Encoding.UTF8.GetBytes(flow.Uuid));
        record.Verdict = (int)flow.Verdict;
#pragma warning disable CS0612 // drop_reason is deprecated but still the only reason on older agents.
        record.DropReason = flow.DropReasonDesc != DropReason.Unknown ? (int)flow.DropReasonDesc : (int)flow.DropReason;
#pragma warning restore CS0612
        record.FlowType = (int)flow.Type;
        if (flow.EventType is { } eventType)
        {
            record.HasEventType = true;
            record.EventType = eventType.Type;
            record.EventSubType = eventType.SubType;
        }

        if (flow.IP is { } ip)
        {
            record.IpVersion = (int)ip.IpVersion;
        }

        if (flow.L4 is { } l4)
        {
            switch (l4.ProtocolCase)
            {
                case Layer4.ProtocolOneofCase.TCP:
                    record.L4 = Layer4Case.TCP;
                    record.SourcePort = l4.TCP.SourcePort;
                    record.DestinationPort = l4.TCP.DestinationPort;
                    record.TcpFlags = FlagsOf(l4.TCP.Flags);
                    break;
                case Layer4.ProtocolOneofCase.UDP:
                    record.L4 = Layer4Case.UDP;
                    record.SourcePort = l4.UDP.SourcePort;
                    record.DestinationPort = l4.UDP.DestinationPort;
                    break;
                case Layer4.ProtocolOneofCase.SCTP:
                    record.L4 = Layer4Case.SCTP;
                    record.SourcePort = l4.SCTP.SourcePort;
                    record.DestinationPort = l4.SCTP.DestinationPort;
                    break;
                case Layer4.ProtocolOneofCase.ICMPv4: record.L4 = Layer4Case.ICMPv4; break;
                case Layer4.ProtocolOneofCase.ICMPv6: record.L4 = Layer4Case.ICMPv6; break;
                case Layer4.ProtocolOneofCase.VRRP: record.L4 = Layer4Case.VRRP; break;
                case Layer4.ProtocolOneofCase.IGMP: record.L4 = Layer4Case.IGMP; break;
            }
        }

        Fill(flow.Source, record.Source);
        Fill(flow.Destination, record.Destination);
        if (flow.DestinationService is { } service)
        {
            record.DestinationServiceName = service.Name;
            record.DestinationServiceNamespace = service.Namespace;
        }

        record.TrafficDirection = (int)flow.TrafficDirection;
#pragma warning disable CS0612 // reply is deprecated; is_reply wins when present.
        record.IsReply = flow.IsReply ?? (flow.Reply ? true : null);
#pragma warning restore CS0612

        if (flow.L7 is { } l7)
        {
            record.L7Type = (int)l7.Type;
            record.LatencyNs = (long)l7.LatencyNs;
            switch (l7.RecordCase)
            {
                case Layer7.RecordOneofCase.Http:
                    record.L7 = L7Protocol.HTTP;
                    record.HttpCode = (int)l7.Http.Code;
                    record.HttpMethod = l7.Http.Method;
                    record.HttpProtocol = l7.Http.Protocol;
                    foreach (var header in l7.Http.Headers)
                    {
                        if (string.Equals(header.Key, probeHeader, StringComparison.OrdinalIgnoreCase))
                        {
                            record.ProbeHeaderValue = header.Value;
                        }
                    }

                    break;
                case Layer7.RecordOneofCase.Dns: record.L7 = L7Protocol.DNS; break;
                case Layer7.RecordOneofCase.Kafka: record.L7 = L7Protocol.Kafka; break;
            }
        }
    }

    private void Fill(Endpoint? endpoint, FlowEndpoint record)
    {
        if (endpoint is null)
        {
            return;
        }

        record.ClusterName = endpoint.ClusterName;
        record.Namespace = endpoint.Namespace;
        record.Identity = endpoint.Identity;
        if (endpoint.Workloads.Count > 0)
        {
            record.Workload = endpoint.Workloads[0].Name;
        }

        foreach (var label in endpoint.Labels)
        {
            var (key, value) = ParseLabel(label);
            if (key == "app")
            {
                record.App = value!;
            }
            else if (key == "version")
            {
                record.Version = value!;
            }
        }
    }

    private (string? Key, string? Value) ParseLabel(string label)
    {
        if (_labels.TryGetValue(label, out var parsed))
        {
            return parsed;
        }

        parsed = label.StartsWith("k8s:app=", StringComparison.Ordinal) ? ("app", label["k8s:app=".Length..])
            : label.StartsWith("k8s:version=", StringComparison.Ordinal) ? ("version", label["k8s:version=".Length..])
            : (null, null);
        if (_labels.Count < MaxCachedLabels)
        {
            _labels[label] = parsed;
        }

        return parsed;
    }

    private static TcpFlagSet FlagsOf(TCPFlags? flags)
    {
        if (flags is null)
        {
            return TcpFlagSet.None;
        }

        var set = TcpFlagSet.None;
        if (flags.FIN) set |= TcpFlagSet.FIN;
        if (flags.SYN) set |= TcpFlagSet.SYN;
        if (flags.RST) set |= TcpFlagSet.RST;
        if (flags.PSH) set |= TcpFlagSet.PSH;
        if (flags.ACK) set |= TcpFlagSet.ACK;
        if (flags.URG) set |= TcpFlagSet.URG;
        if (flags.ECE) set |= TcpFlagSet.ECE;
        if (flags.CWR) set |= TcpFlagSet.CWR;
        if (flags.NS) set |= TcpFlagSet.NS;
        return set;
    }
}
