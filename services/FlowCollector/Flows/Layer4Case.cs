namespace LabNet.FlowCollector.Flows;

/// <summary>The member of Hubble's <c>Layer4</c> oneof that is set; the names are the proto field names.</summary>
public enum L4Protocol : byte
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
