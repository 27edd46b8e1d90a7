namespace LabNet.FlowCollector.Flows;

/// <summary>
/// The fields of one Hubble flow that the collector aggregates, decoded from JSON or protobuf. One instance is reused
/// for every flow a decoder reads (no per-flow object graph); its strings come from a <see cref="Utf8StringPool"/>.
/// Enum-valued fields hold Cilium's enum numbers (flow.proto).
/// </summary>
public sealed class FlowRecord
{
    /// <summary>Flow time as nanoseconds since the Unix epoch (0 when absent).</summary>
    public long TimeUnixNanos { get; set; }

    /// <summary>The envelope's node_name (GetFlowsResponse), else the flow's own node_name: <c>cluster/node</c> on recent Cilium.</summary>
    public string NodeName { get; set; } = "";

    /// <summary>A 64-bit hash of the flow's uuid (0 when it has none): its identity across a relay reconnect.</summary>
    public ulong UuidHash { get; set; }

    public int Verdict { get; set; }

    /// <summary>drop_reason_desc, or the deprecated numeric drop_reason when the former is absent.</summary>
    public int DropReason { get; set; }

    public int FlowType { get; set; }

    public bool HasEventType { get; set; }

    public int EventType { get; set; }

    public int EventSubType { get; set; }

    public Layer4Case L4 { get; set; }

    public TcpFlagSet TcpFlags { get; set; }

    public uint SourcePort { get; set; }

    public uint DestinationPort { get; set; }

    public int IpVersion { get; set; }

    public FlowEndpoint Source { get; } = new();

    public FlowEndpoint Destination { get; } = new();

    public string DestinationServiceName { get; set; } = "";

    public string DestinationServiceNamespace { get; set; } = "";

    public int TrafficDirection { get; set; }

    /// <summary>is_reply: null when absent (unknown), as in Hubble.</summary>
    public bool? IsReply { get; set; }

    public int L7Type { get; set; }

    public L7Protocol L7 { get; set; }

    public long LatencyNs { get; set; }

    public int HttpCode { get; set; }

    public string HttpMethod { get; set; } = "";

    public string HttpProtocol { get; set; } = "";

    /// <summary>
    /// The value of the routing probe header (<see cref="FlowCollectorOptions.ProbeHeader"/>, e.g. <c>x-canary</c>) on
    /// an HTTP flow, "" when the request had none. Requests carrying it are routed by a header match, not by weights.
    /// </summary>
    public string ProbeHeaderValue { get; set; } = "";

    public void Reset()
    {
        TimeUnixNanos = 0;
        NodeName = "";
        UuidHash = 0;
        Verdict = 0;
        DropReason = 0;
        FlowType = 0;
        HasEventType = false;
        EventType = 0;
        EventSubType = 0;
        L4 = Layer4Case.None;
        TcpFlags = TcpFlagSet.None;
        SourcePort = 0;
        DestinationPort = 0;
        IpVersion = 0;
        Source.Reset();
        Destination.Reset();
        DestinationServiceName = "";
        DestinationServiceNamespace = "";
        TrafficDirection = 0;
        IsReply = null;
        L7Type = 0;
        L7 = L7Protocol.None;
        LatencyNs = 0;
        HttpCode = 0;
        HttpMethod = "";
        HttpProtocol = "";
        ProbeHeaderValue = "";
    }
}
