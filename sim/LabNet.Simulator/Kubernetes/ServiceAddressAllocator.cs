using System.Net;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// ClusterIPs from the cluster's service CIDR and NodePorts from 30000-32767, as the apiserver's allocators hand them
/// out: the first address is the <c>kubernetes</c> Service's, dynamic IPs come from the upper band of the range
/// (ServiceIPStaticSubrange), picked at random from the cluster's seeded source.
/// </summary>
public sealed class ServiceAddressAllocator
{
    private readonly uint _network;
    private readonly uint _size;
    private readonly Random _random;

    public ServiceAddressAllocator(string serviceCidr, Random random)
    {
        var parts = serviceCidr.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var address) || !int.TryParse(parts[1], out var prefix) || prefix is < 8 or > 30)
        {
            throw new ArgumentException($"ServiceCidr '{serviceCidr}' is not an IPv4 CIDR with a prefix between /8 and /30.", nameof(serviceCidr));
        }

        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        _network = ToUInt(address) & mask;
        _size = 1u << (32 - prefix);
        _random = random;
    }

    /// <summary>The <c>kubernetes</c> Service's ClusterIP (e.g. 10.96.0.1).</summary>
    public string First => ToText(_network + 1);

    public bool Contains(string ip) =>
        IPAddress.TryParse(ip, out var address) && ToUInt(address) - _network is var offset && offset > 0 && offset < _size - 1;

    public string AllocateClusterIp(ISet<string> inUse)
    {
        var staticBand = Math.Min(Math.Max(16u, _size / 16), 256u);
        var low = _size - 2 > staticBand ? staticBand : 1u;
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            var candidate = ToText(_network + low + (uint)Next(_size - 1 - low));
            if (!inUse.Contains(candidate))
            {
                return candidate;
            }
        }

        for (var offset = 1u; offset < _size - 1; offset++)
        {
            if (!inUse.Contains(ToText(_network + offset)))
            {
                return ToText(_network + offset);
            }
        }

        throw new KubernetesApiException(500, "InternalError", "Internal error occurred: failed to allocate a serviceIP: range is full");
    }

    public int AllocateNodePort(ISet<int> inUse)
    {
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            var candidate = 30000 + (int)Next(2768);
            if (!inUse.Contains(candidate))
            {
                return candidate;
            }
        }

        throw new KubernetesApiException(500, "InternalError", "Internal error occurred: failed to allocate a nodePort: range is full");
    }

    /// <summary>The random source is the cluster's, shared with its name generator: one caller at a time.</summary>
    private long Next(long maxExclusive)
    {
        lock (_random)
        {
            return _random.NextInt64(maxExclusive);
        }
    }

    public static ISet<string> ClusterIpsInUse(IEnumerable<JsonObject> services) =>
        services.SelectMany(s => (s["spec"]?["clusterIPs"] as JsonArray ?? []).Select(ip => ip?.GetValue<string>() ?? "")
            .Append(s["spec"]?["clusterIP"]?.GetValue<string>() ?? "")).Where(ip => ip.Length > 0).ToHashSet();

    public static ISet<int> NodePortsInUse(IEnumerable<JsonObject> services) =>
        services.SelectMany(s => (s["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>())
            .Select(p => ObjectFacts.Int(p["nodePort"])).Where(p => p > 0).ToHashSet();

    private static uint ToUInt(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }

    private static string ToText(uint value) => $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}";
}
