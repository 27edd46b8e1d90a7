namespace LabNet.Simulator.Cilium.Policy;

/// <summary>
/// One <c>toPorts[].ports[]</c> entry after expansion: one protocol and a port range. Port 0 means every port of the
/// protocol; for ICMP the "port" is the ICMP type, which is how Cilium's datapath keys ICMP rules.
/// </summary>
public readonly record struct PortRange(IpProtocol Protocol, int Port, int EndPort)
{
    public bool AllPorts => Port == 0;

    public override string ToString() => AllPorts ? $"*/{Protocol}" : Port == EndPort ? $"{Port}/{Protocol}" : $"{Port}-{EndPort}/{Protocol}";
}
