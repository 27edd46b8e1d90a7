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
}
