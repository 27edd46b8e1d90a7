using LabNet.FlowCollector.Flows;

namespace LabNet.FlowCollector.Decoding;

/// <summary>
/// Decodes a serialized <c>observer.GetFlowsResponse</c> straight from its bytes into a reused
/// <see cref="FlowRecord"/>, reading only the fields the collector aggregates (Cilium's field numbers) and skipping
/// the rest: no message objects, strings from a <see cref="Utf8StringPool"/>. Same meaning as
/// <see cref="HubbleJsonDecoder"/>. Not thread-safe: one per stream.
/// </summary>
public sealed class HubbleProtobufDecoder(Utf8StringPool? pool = null, string probeHeader = FlowCollectorOptions.DefaultProbeHeader)
{
    private readonly Utf8StringPool _pool = pool ?? new Utf8StringPool();
    private readonly byte[] _probeHeader = System.Text.Encoding.UTF8.GetBytes(probeHeader.ToLowerInvariant());

    public HubbleEventKind Decode(ReadOnlySpan<byte> message, FlowRecord flow, out LostEventsRecord lostEvents, out string? error)
    {
        lostEvents = default;
        error = null;
        flow.Reset();
        try
        {
            var kind = HubbleEventKind.Blank;
            var envelopeNode = "";
            var envelopeTime = 0L;
            var reader = new ProtoWireReader(message);
            while (!reader.End)
            {
                var (field, wireType) = reader.ReadTag();
                switch (field)
                {
                    case 1:
                        ReadFlow(reader.BytesOrSkip(wireType), flow);
                        kind = HubbleEventKind.Flow;
                        break;
                    case 2:
                        reader.Skip(wireType);
                        kind = HubbleEventKind.OtherEvent;
                        break;
                    case 3:
                        lostEvents = ReadLostEvent(reader.BytesOrSkip(wireType));
                        kind = HubbleEventKind.LostEvents;
                        break;
                    case 1000:
                        envelopeNode = _pool.Get(reader.BytesOrSkip(wireType));
                        break;
                    case 1001:
                        envelopeTime = ReadTimestamp(reader.BytesOrSkip(wireType));
                        break;
                    default:
                        reader.Skip(wireType);
                        break;
                }
            }

            if (envelopeNode.Length > 0)
            {
                flow.NodeName = envelopeNode;
            }

            if (flow.TimeUnixNanos == 0)
            {
                flow.TimeUnixNanos = envelopeTime;
            }

            if (kind == HubbleEventKind.Blank)
            {
                error = "the message has no flow, node_status or lost_events";
                return HubbleEventKind.Malformed;
            }

            return kind;
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return HubbleEventKind.Malformed;
        }
    }

    private void ReadFlow(ReadOnlySpan<byte> data, FlowRecord flow)
    {
        var reader = new ProtoWireReader(data);
        var dropReason = 0;
        var dropReasonDesc = 0;
        var reply = false;
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case 1: flow.TimeUnixNanos = ReadTimestamp(reader.BytesOrSkip(wireType)); break;
                case 34: flow.UuidHash = Utf8Hash.Compute64(reader.BytesOrSkip(wireType)); break;
                case 2: flow.Verdict = (int)reader.VarintOrSkip(wireType); break;
                case 3: dropReason = (int)reader.VarintOrSkip(wireType); break;
                case 25: dropReasonDesc = (int)reader.VarintOrSkip(wireType); break;
                case 5: ReadIp(reader.BytesOrSkip(wireType), flow); break;
                case 6: ReadLayer4(reader.BytesOrSkip(wireType), flow); break;
                case 8: ReadEndpoint(reader.BytesOrSkip(wireType), flow.Source); break;
                case 9: ReadEndpoint(reader.BytesOrSkip(wireType), flow.Destination); break;
                case 10: flow.FlowType = (int)reader.VarintOrSkip(wireType); break;
                case 11: flow.NodeName = _pool.Get(reader.BytesOrSkip(wireType)); break;
                case 15: ReadLayer7(reader.BytesOrSkip(wireType), flow); break;
                case 16: reply = reader.VarintOrSkip(wireType) != 0; break;
                case 19: ReadEventType(reader.BytesOrSkip(wireType), flow); break;
                case 21: ReadService(reader.BytesOrSkip(wireType), flow); break;
                case 22: flow.TrafficDirection = (int)reader.VarintOrSkip(wireType); break;
                case 26: flow.IsReply = ReadBoolValue(reader.BytesOrSkip(wireType)); break;
                default: reader.Skip(wireType); break;
            }
        }

        flow.DropReason = dropReasonDesc != 0 ? dropReasonDesc : dropReason;
        flow.IsReply ??= reply ? true : null;
    }

    private static void ReadIp(ReadOnlySpan<byte> data, FlowRecord flow)
    {
        var reader = new ProtoWireReader(data);
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            if (field == 3)
            {
                flow.IpVersion = (int)reader.VarintOrSkip(wireType);
            }
            else
            {
                reader.Skip(wireType);
            }
        }
    }

    private static void ReadLayer4(ReadOnlySpan<byte> data, FlowRecord flow)
    {
        var reader = new ProtoWireReader(data);
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            if (field is < 1 or > 7)
            {
                reader.Skip(wireType);
                continue;
            }

            flow.L4 = (Layer4Case)field;
            var inner = new ProtoWireReader(reader.BytesOrSkip(wireType));
            var hasPorts = field is 1 or 2 or 5;
            while (!inner.End)
            {
                var (f, w) = inner.ReadTag();
                switch (f)
                {
                    case 1 when hasPorts: flow.SourcePort = (uint)inner.VarintOrSkip(w); break;
                    case 2 when hasPorts: flow.DestinationPort = (uint)inner.VarintOrSkip(w); break;
                    case 3 when field == 1: flow.TcpFlags = ReadTcpFlags(inner.BytesOrSkip(w)); break;
                    default: inner.Skip(w); break;
                }
            }
        }
    }

    private static TcpFlagSet ReadTcpFlags(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoWireReader(data);
        var flags = TcpFlagSet.None;
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();

            // TCPFlags fields 1..9 are FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, NS: the bit order of TcpFlagSet.
            if (field is >= 1 and <= 9 && reader.VarintOrSkip(wireType) != 0)
            {
                flags |= (TcpFlagSet)(1 << (field - 1));
            }
            else if (field is < 1 or > 9)
            {
                reader.Skip(wireType);
            }
        }

        return flags;
    }

    private void ReadEndpoint(ReadOnlySpan<byte> data, FlowEndpoint endpoint)
    {
        var reader = new ProtoWireReader(data);
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case 2: endpoint.Identity = (uint)reader.VarintOrSkip(wireType); break;
                case 3: endpoint.Namespace = _pool.Get(reader.BytesOrSkip(wireType)); break;
                case 7: endpoint.ClusterName = _pool.Get(reader.BytesOrSkip(wireType)); break;
                case 4:
                    var label = reader.BytesOrSkip(wireType);
                    if (label.StartsWith("k8s:app="u8))
                    {
                        endpoint.App = _pool.Get(label["k8s:app="u8.Length..]);
                    }
                    else if (label.StartsWith("k8s:version="u8))
                    {
                        endpoint.Version = _pool.Get(label["k8s:version="u8.Length..]);
                    }

                    break;
                case 6:
                    var workload = reader.BytesOrSkip(wireType);
                    if (endpoint.Workload.Length == 0)
                    {
                        var inner = new ProtoWireReader(workload);
                        while (!inner.End)
                        {
                            var (f, w) = inner.ReadTag();
                            if (f == 1)
                            {
                                endpoint.Workload = _pool.Get(inner.BytesOrSkip(w));
                            }
                            else
                            {
                                inner.Skip(w);
                            }
                        }
                    }

                    break;
                default: reader.Skip(wireType); break;
            }
        }
    }

    private void ReadLayer7(ReadOnlySpan<byte> data, FlowRecord flow)
    {
        var reader = new ProtoWireReader(data);
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case 1: flow.L7Type = (int)reader.VarintOrSkip(wireType); break;
                case 2: flow.LatencyNs = (long)reader.VarintOrSkip(wireType); break;
                case 100: flow.L7 = L7Protocol.DNS; reader.Skip(wireType); break;
                case 102: flow.L7 = L7Protocol.Kafka; reader.Skip(wireType); break;
                case 101:
                    flow.L7 = L7Protocol.HTTP;
                    var http = new ProtoWireReader(reader.BytesOrSkip(wireType));
                    while (!http.End)
                    {
                        var (f, w) = http.ReadTag();
                        switch (f)
                        {
                            case 1: flow.HttpCode = (int)http.VarintOrSkip(w); break;
                            case 2: flow.HttpMethod = _pool.Get(http.BytesOrSkip(w)); break;
                            case 4: flow.HttpProtocol = _pool.Get(http.BytesOrSkip(w)); break;
                            case 5: ReadProbeHeader(http.BytesOrSkip(w), flow); break;
                            default: http.Skip(w); break;
                        }
                    }

                    break;
                default: reader.Skip(wireType); break;
            }
        }
    }

    // HTTPHeader { string key = 1; string value = 2; }: only the probe header is kept.
    private void ReadProbeHeader(ReadOnlySpan<byte> data, FlowRecord flow)
    {
        var reader = new ProtoWireReader(data);
        var isProbe = false;
        ReadOnlySpan<byte> value = default;
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case 1: isProbe = reader.BytesOrSkip(wireType).SequenceEqual(_probeHeader); break;
                case 2: value = reader.BytesOrSkip(wireType); break;
                default: reader.Skip(wireType); break;
            }
        }

        if (isProbe)
        {
            flow.ProbeHeaderValue = _pool.Get(value);
        }
    }

    private static void ReadEventType(ReadOnlySpan<byte> data, FlowRecord flow)
    {
        flow.HasEventType = true;
        var reader = new ProtoWireReader(data);
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case 1: flow.EventType = (int)reader.VarintOrSkip(wireType); break;
                case 2: flow.EventSubType = (int)reader.VarintOrSkip(wireType); break;
                default: reader.Skip(wireType); break;
            }
        }
    }

    private void ReadService(ReadOnlySpan<byte> data, FlowRecord flow)
    {
        var reader = new ProtoWireReader(data);
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case 1: flow.DestinationServiceName = _pool.Get(reader.BytesOrSkip(wireType)); break;
                case 2: flow.DestinationServiceNamespace = _pool.Get(reader.BytesOrSkip(wireType)); break;
                default: reader.Skip(wireType); break;
            }
        }
    }

    private static LostEventsRecord ReadLostEvent(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoWireReader(data);
        var source = 0;
        ulong count = 0;
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case 1: source = (int)reader.VarintOrSkip(wireType); break;
                case 2: count = reader.VarintOrSkip(wireType); break;
                default: reader.Skip(wireType); break;
            }
        }

        return new LostEventsRecord(source, count);
    }

    private static long ReadTimestamp(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoWireReader(data);
        long seconds = 0;
        long nanos = 0;
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case 1: seconds = (long)reader.VarintOrSkip(wireType); break;
                case 2: nanos = (int)reader.VarintOrSkip(wireType); break;
                default: reader.Skip(wireType); break;
            }
        }

        return seconds * 1_000_000_000L + nanos;
    }

    private static bool ReadBoolValue(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoWireReader(data);
        var value = false;
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            if (field == 1)
            {
                value = reader.VarintOrSkip(wireType) != 0;
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return value;
    }
}
