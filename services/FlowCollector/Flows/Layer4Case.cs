namespace LabNet.FlowCollector.Flows;

/// <summary>
/// Which member of Hubble's <c>Layer4</c> oneof a flow has set (its field number and name, as
/// <c>Layer4.ProtocolOneofCase</c> has them), in a byte for the flow ring. Not an IP protocol number.
/// </summary>
public enum Layer4Case : byte
{
    None = 0,
    TCP = 1,
    UDP = 2,
    ICMPv4 = 3,
    ICMPv6 = 4,
    SCTP = 5,
    VRRP = 6,
    IGMP = 7,
}
