namespace LabNet.Simulator.Cilium.Policy;

/// <summary>IP protocols a policy can name, by their IANA protocol numbers (what the datapath keys on).</summary>
public enum IpProtocol : byte
{
    /// <summary>Only used inside compiled tables: an L3-only entry that covers every protocol.</summary>
    Any = 0,
    Icmp = 1,
    Tcp = 6,
    Udp = 17,
    IcmpV6 = 58,
    Sctp = 132,
}
