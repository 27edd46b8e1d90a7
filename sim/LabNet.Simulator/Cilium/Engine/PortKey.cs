using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Cilium.Engine;

/// <summary>
/// The key of a compiled policy entry, like the datapath's policy map: protocol, and a port prefix (a port range is
/// stored as the few prefixes that cover it). Prefix length 16 is one port, 0 every port; protocol 0 every protocol.
/// </summary>
internal static class PortKey
{
    public const int ExactPrefix = 16;

    public static uint Make(IpProtocol protocol, int prefixLength, int port) =>
        ((uint)protocol << 24) | ((uint)prefixLength << 16) | (uint)(port & Mask(prefixLength));

    public const uint AllProtocols = 0;

    public static int Mask(int prefixLength) => prefixLength == 0 ? 0 : (0xFFFF << (16 - prefixLength)) & 0xFFFF;

    public static int PrefixLength(uint key) => (int)((key >> 16) & 0xFF);

    /// <summary>Bit for a key's shape: bit n (1-16) a port prefix of length n, bit 0 every port of one protocol, bit 17 every protocol.</summary>
    public static int Shape(uint key) => key == AllProtocols ? AllProtocolsShape : 1 << PrefixLength(key);

    public const int AllProtocolsShape = 1 << 17;

    /// <summary>Splits an inclusive port range into the minimal set of port prefixes.</summary>
    public static IEnumerable<(int Port, int PrefixLength)> Prefixes(int first, int last)
    {
        var start = first;
        while (start <= last)
        {
            var size = 1;
            var length = ExactPrefix;
            // Grow the block while it stays aligned and inside the range.
            while (length > 0 && (start & ((size << 1) - 1)) == 0 && start + (size << 1) - 1 <= last)
            {
                size <<= 1;
                length--;
            }

            yield return (start, length);
            start += size;
        }
    }
}
