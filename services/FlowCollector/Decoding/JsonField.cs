using System.Globalization;
using System.Numerics;
using System.Text.Json;
using LabNet.FlowCollector.Flows;

namespace LabNet.FlowCollector.Decoding;

/// <summary>
/// The JSON keys the decoder understands. protojson writes proto names (<c>node_name</c>) and accepts lowerCamelCase
/// JSON names (<c>nodeName</c>); both map to the same field. Meaning depends on the enclosing object.
/// </summary>
internal enum JsonField
{
    Unknown,
    Flow, NodeName, Time, LostEvents, NodeStatus, AgentEvent, DebugEvent,
    Uuid, Verdict, DropReason, DropReasonDesc, IP, L4, Source, Destination, Type, L7, IsReply, Reply, EventType,
    DestinationService, TrafficDirection,
    SourceAddress, DestinationAddress, IpVersion,
    Tcp, Udp, IcmpV4, IcmpV6, Sctp, Vrrp, Igmp, SourcePort, DestinationPort, Flags,
    Fin, Syn, Rst, Psh, Ack, Urg, Ece, Cwr, Ns,
    Id, Identity, ClusterName, Namespace, Labels, Workloads, Name,
    SubType,
    LatencyNs, Http, Dns, Kafka, Code, Method, Protocol, Headers, Key, Value,
    NumEventsLost,
}

/// <summary>The key lookup, and the readers of protojson's primitive values (with the JSON path in every error).</summary>
internal static class JsonFields
{
    public static Utf8Lookup<JsonField> Lookup { get; } = new(Build());

    private static IEnumerable<KeyValuePair<string, JsonField>> Build()
    {
        (string ProtoName, JsonField Field)[] names =
        [
            ("flow", JsonField.Flow), ("node_name", JsonField.NodeName), ("time", JsonField.Time),
            ("lost_events", JsonField.LostEvents), ("node_status", JsonField.NodeStatus),
            ("agent_event", JsonField.AgentEvent), ("debug_event", JsonField.DebugEvent),
            ("uuid", JsonField.Uuid), ("verdict", JsonField.Verdict), ("drop_reason", JsonField.DropReason),
            ("drop_reason_desc", JsonField.DropReasonDesc), ("IP", JsonField.IP), ("l4", JsonField.L4),
            // "source"/"destination" are endpoints in a Flow and addresses in an IP message.
            ("source", JsonField.Source), ("destination", JsonField.Destination), ("Type", JsonField.Type),
            ("type", JsonField.Type), ("l7", JsonField.L7), ("is_reply", JsonField.IsReply), ("reply", JsonField.Reply),
            ("event_type", JsonField.EventType), ("destination_service", JsonField.DestinationService),
            ("traffic_direction", JsonField.TrafficDirection), ("ipVersion", JsonField.IpVersion),
            ("TCP", JsonField.Tcp), ("UDP", JsonField.Udp), ("ICMPv4", JsonField.IcmpV4), ("ICMPv6", JsonField.IcmpV6),
            ("SCTP", JsonField.Sctp), ("VRRP", JsonField.Vrrp), ("IGMP", JsonField.Igmp),
            ("source_port", JsonField.SourcePort), ("destination_port", JsonField.DestinationPort),
            ("flags", JsonField.Flags), ("FIN", JsonField.Fin), ("SYN", JsonField.Syn), ("RST", JsonField.Rst),
            ("PSH", JsonField.Psh), ("ACK", JsonField.Ack), ("URG", JsonField.Urg), ("ECE", JsonField.Ece),
            ("CWR", JsonField.Cwr), ("NS", JsonField.Ns), ("ID", JsonField.Id), ("identity", JsonField.Identity),
            ("cluster_name", JsonField.ClusterName), ("namespace", JsonField.Namespace), ("labels", JsonField.Labels),
            ("workloads", JsonField.Workloads), ("name", JsonField.Name),
            ("sub_type", JsonField.SubType), ("latency_ns", JsonField.LatencyNs), ("http", JsonField.Http),
            ("dns", JsonField.Dns), ("kafka", JsonField.Kafka), ("code", JsonField.Code), ("method", JsonField.Method),
            ("protocol", JsonField.Protocol), ("headers", JsonField.Headers), ("key", JsonField.Key), ("value", JsonField.Value),
            ("num_events_lost", JsonField.NumEventsLost),
        ];

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (protoName, field) in names)
        {
            if (seen.Add(protoName))
            {
                yield return KeyValuePair.Create(protoName, field);
            }

            var camel = ToLowerCamel(protoName);
            if (seen.Add(camel))
            {
                yield return KeyValuePair.Create(camel, field);
            }
        }
    }

    // protoc's JSON name: underscores removed, the following letter upper-cased (the first letter is kept as is).
    private static string ToLowerCamel(string protoName)
    {
        var chars = new List<char>(protoName.Length);
        var upper = false;
        foreach (var c in protoName)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            chars.Add(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return new string([.. chars]);
    }

    /// <summary>Moves to the next property of the current object and onto its value; false at the object's end.</summary>
    public static bool ReadProperty(ref Utf8JsonReader reader, out JsonField field)
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

    public static void ExpectObject(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException($"{path}: expected an object, found {reader.TokenType}");
        }
    }

    public static void ExpectArray(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new FormatException($"{path}: expected an array, found {reader.TokenType}");
        }
    }

    public static long ReadTime(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped
            || !Rfc3339.TryParseUnixNanos(reader.ValueSpan, out var nanos))
        {
            throw new FormatException($"{path}: expected an RFC 3339 time such as \"2021-10-04T14:28:38.735173594Z\"");
        }

        return nanos;
    }

    public static int ReadEnum(ref Utf8JsonReader reader, HubbleEnum type, string path)
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

    public static bool ReadBool(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False or JsonTokenType.Null => false,
        _ => throw new FormatException($"{path}: expected true or false, found {reader.TokenType}"),
    };

    public static int ReadInt32(ref Utf8JsonReader reader, string path) => ReadInteger<int>(ref reader, path, "a 32-bit integer");

    public static uint ReadUInt32(ref Utf8JsonReader reader, string path) => ReadInteger<uint>(ref reader, path, "an unsigned 32-bit integer");

    public static ulong ReadUInt64(ref Utf8JsonReader reader, string path) =>
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

    /// <summary>The Layer4 oneof case an <c>l4</c> key names (<c>TCP</c>, <c>UDP</c>...); None for any other key.</summary>
    public static Layer4Case Layer4CaseOf(JsonField field) => field switch
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

    /// <summary>The TCP flag a key of <c>l4.TCP.flags</c> names; None for any other key.</summary>
    public static TcpFlagSet TcpFlagOf(JsonField field) => field switch
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
}
