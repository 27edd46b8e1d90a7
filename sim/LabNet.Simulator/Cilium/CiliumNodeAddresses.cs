using System.Net;

namespace LabNet.Simulator.Cilium;

/// <summary>
/// The addresses a Cilium agent takes for itself from its node's pod CIDR (cluster-pool IPAM) besides the pods': the
/// router address of <c>cilium_host</c> (the first host address) and the health endpoint's, which cilium-health on every
/// node probes (the last host address here, so pods, allocated from the bottom, never collide with it).
/// </summary>
public static class CiliumNodeAddresses
{
    public static IPAddress Router(IPNetwork podCidr) => At(podCidr, 1);

    public static IPAddress Health(IPNetwork podCidr) => At(podCidr, HostCount(podCidr));

    /// <summary>Host addresses of the CIDR (without network and broadcast addresses).</summary>
    public static uint HostCount(IPNetwork podCidr) => podCidr.PrefixLength >= 31 ? 1u : (1u << (32 - podCidr.PrefixLength)) - 2;

    private static IPAddress At(IPNetwork network, uint offset)
    {
        var bytes = network.BaseAddress.GetAddressBytes();
        var value = ((uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3]) + offset;
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
    }
}
