using System.Net;
using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Cilium;

/// <summary>
/// Cilium's cluster-pool IPAM as the kubelet's CNI sees it: each node has a pod CIDR in its CiliumNode
/// (<c>spec.ipam.podCIDRs</c>, handed out by the operator), and each pod gets the next free address of its node's CIDR.
/// The first addresses are the network and the node's cilium_host router address, as on a real node; the health
/// endpoint's address (<see cref="CiliumNodeAddresses.Health"/>) is never a pod's.
/// </summary>
public sealed class CiliumPodNetwork(IClusterApi api) : IPodNetwork
{
    private const int FirstPodOffset = 2;
    private readonly Lock _sync = new();
    private readonly Dictionary<string, HashSet<uint>> _allocated = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Node, uint Address)> _byPod = new(StringComparer.Ordinal);

    public PodNetworkAttachment Attach(JsonObject pod, JsonObject node)
    {
        var nodeName = node["metadata"]?["name"]?.GetValue<string>() ?? "";
        var cidr = api.Get("cilium.io/v2", "CiliumNode", null, nodeName)?["spec"]?["ipam"]?["podCIDRs"]?[0]?.GetValue<string>();
        if (cidr is null || !IPNetwork.TryParse(cidr, out var network))
        {
            return PodNetworkAttachment.Failed($"plugin type=\"cilium-cni\" failed (add): unable to allocate IP via local cilium agent: no pod CIDR for node {nodeName} yet");
        }

        var key = PodKey(pod);
        var start = ToNumber(network.BaseAddress);
        var health = ToNumber(CiliumNodeAddresses.Health(network));
        var size = 1u << (32 - network.PrefixLength);
        lock (_sync)
        {
            if (_byPod.TryGetValue(key, out var existing))
            {
                return PodNetworkAttachment.Attached(ToAddress(existing.Address));
            }

            var used = _allocated.TryGetValue(nodeName, out var set) ? set : _allocated[nodeName] = InUse(nodeName, network);
            if (_byPod.TryGetValue(key, out existing))
            {
                return PodNetworkAttachment.Attached(ToAddress(existing.Address));
            }

            for (var offset = (uint)FirstPodOffset; offset < size - 1; offset++)
            {
                if (start + offset != health && used.Add(start + offset))
                {
                    _byPod[key] = (nodeName, start + offset);
                    return PodNetworkAttachment.Attached(ToAddress(start + offset));
                }
            }
        }

        return PodNetworkAttachment.Failed($"plugin type=\"cilium-cni\" failed (add): unable to allocate IP via local cilium agent: range is full ({cidr})");
    }

    public void Detach(JsonObject pod)
    {
        lock (_sync)
        {
            if (_byPod.Remove(PodKey(pod), out var allocation) && _allocated.TryGetValue(allocation.Node, out var used))
            {
                used.Remove(allocation.Address);
            }
        }
    }

    /// <summary>
    /// The addresses the node's pods already hold, as the agent restores its endpoints at start: a Cilium installed again
    /// or upgraded (a new IPAM here) never hands out an address a running pod has.
    /// </summary>
    private HashSet<uint> InUse(string nodeName, IPNetwork network)
    {
        var used = new HashSet<uint>();
        foreach (var pod in api.List("v1", "Pod"))
        {
            if (pod["spec"]?["nodeName"]?.GetValue<string>() == nodeName
                && pod["spec"]?["hostNetwork"]?.GetValue<bool>() != true
                && IPAddress.TryParse(pod["status"]?["podIP"]?.GetValue<string>(), out var ip)
                && network.Contains(ip)
                && used.Add(ToNumber(ip)))
            {
                _byPod[PodKey(pod)] = (nodeName, ToNumber(ip));
            }
        }

        return used;
    }

    private static string PodKey(JsonObject pod) =>
        $"{pod["metadata"]?["namespace"]?.GetValue<string>()}/{pod["metadata"]?["name"]?.GetValue<string>()}";

    private static uint ToNumber(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
    }

    private static string ToAddress(uint number) =>
        new IPAddress([(byte)(number >> 24), (byte)(number >> 16), (byte)(number >> 8), (byte)number]).ToString();
}
