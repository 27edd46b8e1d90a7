using LabNet.FlowCollector.Flows;

namespace LabNet.FlowCollector.Metrics;

/// <summary>
/// Hubble's label values (pkg/hubble/metrics): the <c>type</c>/<c>subtype</c> of a flow from its monitor event type,
/// the <c>protocol</c> from its L4/L7 layer, TCP flag names. Kept as small codes so a series key is a single integer.
/// </summary>
public static class HubbleLabels
{
    // Cilium monitor message types (pkg/monitor/api/types.go).
    public const int MessageTypeDrop = 1;
    public const int MessageTypeCapture = 3;
    public const int MessageTypeTrace = 4;
    public const int MessageTypePolicyVerdict = 5;
    public const int MessageTypeAccessLog = 129;

    public const int VerdictForwarded = 1;
    public const int VerdictDropped = 2;
    public const int VerdictRedirected = 5;
    public const int FlowTypeL7 = 2;
    public const int L7Request = 1;
    public const int L7Response = 2;
    public const int DirectionIngress = 1;
    public const int DirectionEgress = 2;

    private static readonly string[] ProtocolNames =
        ["Unknown flow", "TCP", "UDP", "ICMPv4", "ICMPv6", "SCTP", "VRRP", "IGMP", "Unknown L4", "DNS", "HTTP", "Kafka", "Unknown L7"];

    private static readonly string[] TypeNames = ["Unknown", "L7", "Drop", "Capture", "Trace", "PolicyVerdict"];

    // Datapath trace observation points by sub_type (pkg/monitor/api TraceObservationPoints).
    private static readonly string[] TracePointNames =
    [
        "to-endpoint", "to-proxy", "to-host", "to-stack", "to-overlay", "from-endpoint", "from-proxy", "from-host",
        "from-stack", "from-overlay", "from-network", "to-network", "from-crypto", "to-crypto",
    ];

    private static readonly string[] TcpFlagNames = ["SYN", "SYN-ACK", "FIN", "RST"];

    private static readonly string[] ReporterNames = ["unknown", "server", "client"];

    public static int ProtocolCode(FlowRecord flow, int typeCode)
    {
        if (typeCode == 1)
        {
            return flow.L7 switch { L7Protocol.DNS => 9, L7Protocol.HTTP => 10, L7Protocol.Kafka => 11, _ => 12 };
        }

        if (typeCode >= 2)
        {
            return flow.L4 == Layer4Case.None ? 8 : (int)flow.L4;
        }

        return 0;
    }

    public static string ProtocolName(int code) => ProtocolNames[code];

    /// <summary>
    /// The metric <c>type</c>. Flows without <c>event_type</c> (hand-made or field-masked captures) are classified from
    /// what they carry: L7 records are L7, other drops are Drop, and L3/L4 forwarded flows count as Trace.
    /// </summary>
    public static int TypeCode(FlowRecord flow)
    {
        if (!flow.HasEventType)
        {
            return flow.FlowType == FlowTypeL7 || flow.L7 != L7Protocol.None ? 1
                : flow.Verdict == VerdictDropped ? 2
                : flow.L4 != Layer4Case.None ? 4
                : 0;
        }

        return flow.EventType switch
        {
            MessageTypeAccessLog => 1,
            MessageTypeDrop => 2,
            MessageTypeCapture => 3,
            MessageTypeTrace => 4,
            MessageTypePolicyVerdict => 5,
            _ => 0,
        };
    }

    public static string TypeName(int code) => TypeNames[code];

    public static int SubtypeCode(FlowRecord flow, int typeCode) => typeCode switch
    {
        1 => (int)flow.L7,
        4 when flow.HasEventType && (uint)flow.EventSubType < TracePointNames.Length => 16 + flow.EventSubType,
        _ => 0,
    };

    public static string SubtypeName(int code) => code switch
    {
        0 => "",
        1 => "DNS",
        2 => "HTTP",
        3 => "Kafka",
        _ => TracePointNames[code - 16],
    };

    // Hubble's tcp handler counts SYN (without ACK), SYN-ACK, FIN and RST.
    public const int FlagSyn = 0;
    public const int FlagSynAck = 1;
    public const int FlagFin = 2;
    public const int FlagRst = 3;

    public static string TcpFlagName(int code) => TcpFlagNames[code];

    /// <summary>httpV2's <c>reporter</c>: the client side's proxy saw it (egress) or the server side's (ingress).</summary>
    public static int ReporterCode(int trafficDirection) => trafficDirection switch
    {
        DirectionIngress => 1,
        DirectionEgress => 2,
        _ => 0,
    };

    public static string ReporterName(int code) => ReporterNames[code];
}
