using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using LabNet.FlowCollector.Flows;

namespace LabNet.FlowCollector.Decoding;

/// <summary>
/// Decodes one line of <c>hubble observe -o json</c>/<c>-o jsonpb</c> output (a GetFlowsResponse in protojson) into a
/// reused <see cref="FlowRecord"/> with a forward-only <see cref="Utf8JsonReader"/>: no DOM, no per-line objects.
/// Accepts proto names and lowerCamelCase keys, enums as names or numbers, 64-bit integers as strings or numbers,
/// RFC 3339 times. Not thread-safe (it owns a string pool): use one per input stream.
/// </summary>
public sealed class HubbleJsonDecoder(Utf8StringPool? pool = null, string probeHeader = FlowCollectorOptions.DefaultProbeHeader)
{
    private const int MaxDepth = 64;

    private readonly Utf8StringPool _pool = pool ?? new Utf8StringPool();
    private readonly byte[] _probeHeader = System.Text.Encoding.UTF8.GetBytes(probeHeader.ToLowerInvariant());

    /// <summary>Decodes <paramref name="line"/>; on <see cref="HubbleEventKind.Malformed"/>, <paramref name="error"/> says why.</summary>
    public HubbleEventKind Decode(ReadOnlySpan<byte> line, FlowRecord flow, out LostEventsRecord lostEvents, out string? error)
    {
        lostEvents = default;
        error = null;
        flow.Reset();
        if (IsBlank(line))
        {
            return HubbleEventKind.Blank;
        }

        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "expected a JSON object such as {\"flow\":{...},\"node_name\":...,\"time\":...}";
                return HubbleEventKind.Malformed;
            }

            var kind = ReadEnvelope(ref reader, flow, ref lostEvents);
            if (reader.Read())
            {
                error = "unexpected data after the JSON object (one event per line expected)";
                return HubbleEventKind.Malformed;
            }

            if (kind == HubbleEventKind.Blank)
            {
                error = "the object has no flow, lost_events, node_status, agent_event or debug_event";
                return HubbleEventKind.Malformed;
            }

            return kind;
        }
        catch (JsonException ex)
        {
            error = ex.Message;
            return HubbleEventKind.Malformed;
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return HubbleEventKind.Malformed;
        }
    }

    private HubbleEventKind ReadEnvelope(ref Utf8JsonReader reader, FlowRecord flow, ref LostEventsRecord lost)
    {
        var kind = HubbleEventKind.Blank;
        var envelopeNode = "";
        while (ReadProperty(ref reader, out var field))
        {
            switch (field)
            {
                case JsonField.Flow:
                    ExpectObject(ref reader, "flow");
                    ReadFlow(ref reader, flow);
                    kind = HubbleEventKind.Flow;
                    break;
                case JsonField.LostEvents:
                    ExpectObject(ref reader, "lost_events");
                    lost = ReadLostEvent(ref reader);
                    kind = HubbleEventKind.LostEvents;
                    break;
                case JsonField.NodeStatus or JsonField.AgentEvent or JsonField.DebugEvent:
                    reader.Skip();
                    kind = kind == HubbleEventKind.Blank ? HubbleEventKind.OtherEvent : kind;
                    break;
                case JsonField.NodeName:
                    envelopeNode = ReadString(ref reader, "node_name");
                    break;
                case JsonField.Time:
                    // The envelope's time is when the event was observed; the flow's own time wins when present.
                    var time = ReadTime(ref reader, "time");
                    if (flow.TimeUnixNanos == 0)
                    {
                        flow.TimeUnixNanos = time;
                    }

                    break;
                default:
                    // The legacy output (HUBBLE_COMPAT=legacy-json-output) prints the bare Flow object.
                    if (ReadFlowField(ref reader, field, flow))
                    {
                        kind = HubbleEventKind.Flow;
                    }

                    break;
            }
        }

        if (envelopeNode.Length > 0)
        {
            flow.NodeName = envelopeNode;
        }

        return kind;
    }

    private void ReadFlow(ref Utf8JsonReader reader, FlowRecord flow)
    {
        var flowTime = 0L;
        while (ReadProperty(ref reader, out var field))
        {
            if (field == JsonField.Time)
            {
                flowTime = ReadTime(ref reader, "flow.time");
            }
            else
            {
                ReadFlowField(ref reader, field, flow);
            }
        }

        if (flowTime != 0)
        {
            flow.TimeUnixNanos = flowTime;
        }
    }

    /// <summary>Reads one Flow field (the reader is on its value); returns false for fields the collector skips.</summary>
    private bool ReadFlowField(ref Utf8JsonReader reader, JsonField field, FlowRecord flow)
    {
        switch (field)
        {
            case JsonField.Uuid:
                flow.UuidHash = reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped
                    ? Utf8Hash.Compute64(reader.ValueSpan)
                    : Utf8Hash.Compute64(System.Text.Encoding.UTF8.GetBytes(ReadString(ref reader, "flow.uuid")));
                return true;
            case JsonField.Verdict:
                flow.Verdict = ReadEnum(ref reader, HubbleEnum.Verdict, "flow.verdict");
                return true;
            case JsonField.DropReason:
                if (flow.DropReason == 0)
                {
                    flow.DropReason = (int)ReadUInt32(ref reader, "flow.drop_reason");
                }
                else
                {
                    reader.Skip();
                }

                return true;
            case JsonField.DropReasonDesc:
                var reason = ReadEnum(ref reader, HubbleEnum.DropReason, "flow.drop_reason_desc");
                if (reason != 0)
                {
                    flow.DropReason = reason;
                }

                return true;
            case JsonField.IP:
                ExpectObject(ref reader, "flow.IP");
                ReadIp(ref reader, flow);
                return true;
            case JsonField.L4:
                ExpectObject(ref reader, "flow.l4");
                ReadLayer4(ref reader, flow);
                return true;
            case JsonField.Source:
                ExpectObject(ref reader, "flow.source");
                ReadEndpoint(ref reader, flow.Source, "flow.source");
                return true;
            case JsonField.Destination:
                ExpectObject(ref reader, "flow.destination");
                ReadEndpoint(ref reader, flow.Destination, "flow.destination");
                return true;
            case JsonField.Type:
                flow.FlowType = ReadEnum(ref reader, HubbleEnum.FlowType, "flow.Type");
                return true;
            case JsonField.NodeName:
                if (flow.NodeName.Length == 0)
                {
                    flow.NodeName = ReadString(ref reader, "flow.node_name");
                }
                else
                {
                    reader.Skip();
                }

                return true;
            case JsonField.L7:
                ExpectObject(ref reader, "flow.l7");
                ReadLayer7(ref reader, flow);
                return true;
            case JsonField.IsReply:
                flow.IsReply = ReadBool(ref reader, "flow.is_reply");
                return true;
            case JsonField.Reply:
                var reply = ReadBool(ref reader, "flow.reply");
                flow.IsReply ??= reply ? true : null;
                return true;
            case JsonField.EventType:
                ExpectObject(ref reader, "flow.event_type");
                flow.HasEventType = true;
                while (ReadProperty(ref reader, out var f))
                {
                    switch (f)
                    {
                        case JsonField.Type: flow.EventType = ReadInt32(ref reader, "flow.event_type.type"); break;
                        case JsonField.SubType: flow.EventSubType = ReadInt32(ref reader, "flow.event_type.sub_type"); break;
                        default: reader.Skip(); break;
                    }
                }

                return true;
            case JsonField.DestinationService:
                ExpectObject(ref reader, "flow.destination_service");
                while (ReadProperty(ref reader, out var f))
                {
                    switch (f)
                    {
                        case JsonField.Name: flow.DestinationServiceName = ReadString(ref reader, "flow.destination_service.name"); break;
                        case JsonField.Namespace: flow.DestinationServiceNamespace = ReadString(ref reader, "flow.destination_service.namespace"); break;
                        default: reader.Skip(); break;
                    }
                }

                return true;
            case JsonField.TrafficDirection:
                flow.TrafficDirection = ReadEnum(ref reader, HubbleEnum.TrafficDirection, "flow.traffic_direction");
                return true;
            default:
                reader.Skip();
                return false;
        }
    }

    private void ReadIp(ref Utf8JsonReader reader, FlowRecord flow)
    {
        while (ReadProperty(ref reader, out var field))
        {
            if (field == JsonField.IpVersion)
            {
                flow.IpVersion = ReadEnum(ref reader, HubbleEnum.IPVersion, "flow.IP.ipVersion");
            }
            else
            {
                // Addresses are not metric labels; they are checked to be strings but not kept.
                reader.Skip();
            }
        }
    }

    private static void ReadLayer4(ref Utf8JsonReader reader, FlowRecord flow)
    {
        while (ReadProperty(ref reader, out var field))
        {
            var protocol = field switch
            {
                JsonField.Tcp => Layer4Case.TCP,
                JsonField.Udp => Layer4Case.UDP,
                JsonField.IcmpV4 => Layer4Case.ICMPv4,
                JsonField.IcmpV6 => Layer4Case.ICMPv6,
                JsonField.Sctp => Layer4Case.SCTP,
                JsonField.Vrrp => Layer4Case.VRRP,
                JsonField.Igmp => Layer4Case.IGMP,
                _ => Layer4Case.None,
            };
            if (protocol == Layer4Case.None)
            {
                reader.Skip();
                continue;
            }

            ExpectObject(ref reader, "flow.l4");
            flow.L4 = protocol;
            while (ReadProperty(ref reader, out var f))
            {
                switch (f)
                {
                    case JsonField.SourcePort: flow.SourcePort = ReadUInt32(ref reader, "flow.l4.source_port"); break;
                    case JsonField.DestinationPort: flow.DestinationPort = ReadUInt32(ref reader, "flow.l4.destination_port"); break;
                    case JsonField.Flags when protocol == Layer4Case.TCP:
                        ExpectObject(ref reader, "flow.l4.TCP.flags");
                        flow.TcpFlags = ReadTcpFlags(ref reader);
                        break;
                    default: reader.Skip(); break;
                }
            }
        }
    }

    private static TcpFlagSet ReadTcpFlags(ref Utf8JsonReader reader)
    {
        var flags = TcpFlagSet.None;
        while (ReadProperty(ref reader, out var field))
        {
            var bit = field switch
            {
                JsonField.Fin => TcpFlagSet.FIN,
                JsonField.Syn => TcpFlagSet.SYN,
                JsonField.Rst => TcpFlagSet.RST,
                JsonField.Psh => TcpFlagSet.PSH,
                JsonField.Ack => TcpFlagSet.ACK,
                JsonField.Urg => TcpFlagSet.URG,
                JsonField.Ece => TcpFlagSet.ECE,
                JsonField.Cwr => TcpFlagSet.CWR,
                JsonField.Ns => TcpFlagSet.NS,
                _ => TcpFlagSet.None,
            };
            if (bit == TcpFlagSet.None)
            {
                reader.Skip();
            }
            else if (ReadBool(ref reader, "flow.l4.TCP.flags"))
            {
                flags |= bit;
            }
        }

        return flags;
    }

    private void ReadEndpoint(ref Utf8JsonReader reader, FlowEndpoint endpoint, string path)
    {
        while (ReadProperty(ref reader, out var field))
        {
            switch (field)
            {
                case JsonField.Identity: endpoint.Identity = ReadUInt32(ref reader, path); break;
                case JsonField.ClusterName: endpoint.ClusterName = ReadString(ref reader, path); break;
                case JsonField.Namespace: endpoint.Namespace = ReadString(ref reader, path); break;
                case JsonField.Labels:
                    ExpectArray(ref reader, path);
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        ReadLabel(ref reader, endpoint, path);
                    }

                    break;
                case JsonField.Workloads:
                    ExpectArray(ref reader, path);
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            throw new FormatException($"{path}.workloads: expected objects {{\"name\":...,\"kind\":...}}");
                        }

                        while (ReadProperty(ref reader, out var f))
                        {
                            if (f == JsonField.Name && endpoint.Workload.Length == 0)
                            {
                                endpoint.Workload = ReadString(ref reader, path);
                            }
                            else
                            {
                                reader.Skip();
                            }
                        }
                    }

                    break;
                default: reader.Skip(); break;
            }
        }
    }

    private void ReadLabel(ref Utf8JsonReader reader, FlowEndpoint endpoint, string path)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new FormatException($"{path}.labels: expected strings such as \"k8s:app=httpbin\"");
        }

        // Labels are "source:key=value"; only app and version are metric context.
        var label = reader.ValueSpan;
        if (reader.ValueIsEscaped)
        {
            return;
        }

        if (label.StartsWith("k8s:app="u8))
        {
            endpoint.App = _pool.Get(label["k8s:app="u8.Length..]);
        }
        else if (label.StartsWith("k8s:version="u8))
        {
            endpoint.Version = _pool.Get(label["k8s:version="u8.Length..]);
        }
    }

    private void ReadLayer7(ref Utf8JsonReader reader, FlowRecord flow)
    {
        while (ReadProperty(ref reader, out var field))
        {
            switch (field)
            {
                case JsonField.Type: flow.L7Type = ReadEnum(ref reader, HubbleEnum.L7FlowType, "flow.l7.type"); break;
                case JsonField.LatencyNs: flow.LatencyNs = (long)ReadUInt64(ref reader, "flow.l7.latency_ns"); break;
                case JsonField.Dns:
                    flow.L7 = L7Protocol.DNS;
                    ExpectObject(ref reader, "flow.l7.dns");
                    reader.Skip();
                    break;
                case JsonField.Kafka:
                    flow.L7 = L7Protocol.Kafka;
                    ExpectObject(ref reader, "flow.l7.kafka");
                    reader.Skip();
                    break;
                case JsonField.Http:
                    flow.L7 = L7Protocol.HTTP;
                    ExpectObject(ref reader, "flow.l7.http");
                    while (ReadProperty(ref reader, out var f))
                    {
                        switch (f)
                        {
                            case JsonField.Code: flow.HttpCode = (int)ReadUInt32(ref reader, "flow.l7.http.code"); break;
                            case JsonField.Method: flow.HttpMethod = ReadString(ref reader, "flow.l7.http.method"); break;
                            case JsonField.Protocol: flow.HttpProtocol = ReadString(ref reader, "flow.l7.http.protocol"); break;
                            case JsonField.Headers: ReadProbeHeader(ref reader, flow); break;
                            default: reader.Skip(); break;
                        }
                    }

                    break;
                default: reader.Skip(); break;
            }
        }
    }

    // flow.l7.http.headers: [{"key":"x-canary","value":"true"}, ...]; only the probe header is kept.
    private void ReadProbeHeader(ref Utf8JsonReader reader, FlowRecord flow)
    {
        const string path = "flow.l7.http.headers";
        ExpectArray(ref reader, path);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            ExpectObject(ref reader, path);
            var isProbe = false;
            var value = "";
            while (ReadProperty(ref reader, out var field))
            {
                switch (field)
                {
                    case JsonField.Key: isProbe = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(_probeHeader); break;
                    case JsonField.Value: value = ReadString(ref reader, path); break;
                    default: reader.Skip(); break;
                }
            }

            if (isProbe)
            {
                flow.ProbeHeaderValue = value;
            }
        }
    }

    private static LostEventsRecord ReadLostEvent(ref Utf8JsonReader reader)
    {
        var source = 0;
        ulong count = 0;
        while (ReadProperty(ref reader, out var field))
        {
            switch (field)
            {
                case JsonField.Source: source = ReadEnum(ref reader, HubbleEnum.LostEventSource, "lost_events.source"); break;
                case JsonField.NumEventsLost: count = ReadUInt64(ref reader, "lost_events.num_events_lost"); break;
                default: reader.Skip(); break;
            }
        }

        return new LostEventsRecord(source, count);
    }

    /// <summary>Moves to the next property of the current object and onto its value; false at the object's end.</summary>
    private static bool ReadProperty(ref Utf8JsonReader reader, out JsonField field)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            field = JsonField.Unknown;
            return false;
        }

        if (reader.ValueIsEscaped)
        {
            Span<byte> buffer = stackalloc byte[64];
            var length = reader.ValueSpan.Length <= buffer.Length ? reader.CopyString(buffer) : 0;
            field = length > 0 && JsonFields.Lookup.TryGetValue(buffer[..length], out var f) ? f : JsonField.Unknown;
        }
        else if (!JsonFields.Lookup.TryGetValue(reader.ValueSpan, out field))
        {
            field = JsonField.Unknown;
        }

        reader.Read();
        return true;
    }

    private static void ExpectObject(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException($"{path}: expected an object, found {reader.TokenType}");
        }
    }

    private static void ExpectArray(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new FormatException($"{path}: expected an array, found {reader.TokenType}");
        }
    }

    private string ReadString(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return "";
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new FormatException($"{path}: expected a string, found {reader.TokenType}");
        }

        if (reader.ValueIsEscaped)
        {
            return reader.GetString() ?? "";
        }

        return _pool.Get(reader.ValueSpan);
    }

    private static long ReadTime(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped
            || !Rfc3339.TryParseUnixNanos(reader.ValueSpan, out var nanos))
        {
            throw new FormatException($"{path}: expected an RFC 3339 time such as \"2021-10-04T14:28:38.735173594Z\"");
        }

        return nanos;
    }

    private static int ReadEnum(ref Utf8JsonReader reader, HubbleEnum type, string path)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number))
        {
            return number;
        }

        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && type.TryParse(reader.ValueSpan, out number))
        {
            return number;
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return 0;
        }

        throw new FormatException(
            $"{path}: '{(reader.TokenType == JsonTokenType.String ? reader.GetString() : reader.TokenType.ToString())}' is not a {type.Name} name or number");
    }

    private static bool ReadBool(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False or JsonTokenType.Null => false,
        _ => throw new FormatException($"{path}: expected true or false, found {reader.TokenType}"),
    };

    private static int ReadInt32(ref Utf8JsonReader reader, string path) => ReadInteger<int>(ref reader, path, "a 32-bit integer");

    private static uint ReadUInt32(ref Utf8JsonReader reader, string path) => ReadInteger<uint>(ref reader, path, "an unsigned 32-bit integer");

    private static ulong ReadUInt64(ref Utf8JsonReader reader, string path) =>
        ReadInteger<ulong>(ref reader, path, "an unsigned 64-bit integer (a JSON string or number)");

    // protojson writes 64-bit integers as strings ("latency_ns":"999958359") and accepts numbers and strings for every
    // integer field; either way the value is the token's text.
    private static T ReadInteger<T>(ref Utf8JsonReader reader, string path, string expected)
        where T : IBinaryInteger<T>
    {
        if (reader.TokenType is JsonTokenType.Number or JsonTokenType.String && !reader.HasValueSequence && !reader.ValueIsEscaped
            && T.TryParse(reader.ValueSpan, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        throw new FormatException($"{path}: expected {expected}");
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept(" \t\r\n"u8) < 0;
}
