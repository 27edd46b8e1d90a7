using System.Net;
using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Workloads;

/// <summary>
/// Reads the generator's topology from the simulated cluster's Kubernetes API: pods that are scheduled and not finished
/// (labels, podIP, nodeName, owner, host network, DNS policy, readiness, probes), Services with selectors, and nodes
/// (address, and the health endpoint's once Cilium gave the node a pod CIDR). A pod without an IP yet (no CNI in the
/// twin) gets a stable address from the cluster's pod CIDR, derived from its namespace and name.
/// </summary>
public sealed class ClusterApiTopologySource(IClusterApiRegistry registry) : ITrafficTopologySource
{
    public TrafficTopology? Get(string cluster) => registry.Find(cluster) is { } api ? Read(api) : null;

    public static TrafficTopology Read(IClusterApi api)
    {
        var cidr = IPNetwork.TryParse(api.Bootstrap.PodCidr, out var network) ? network : new IPNetwork(IPAddress.Parse("10.244.0.0"), 16);
        var pods = new List<TrafficPod>();
        foreach (var pod in api.List("v1", "Pod"))
        {
            var phase = pod["status"]?["phase"]?.GetValue<string>();
            var node = pod["spec"]?["nodeName"]?.GetValue<string>();
            if (node is null || phase is "Succeeded" or "Failed" || pod["metadata"]?["deletionTimestamp"] is not null)
            {
                continue;
            }

            var metadata = pod["metadata"]!;
            var ns = metadata["namespace"]?.GetValue<string>() ?? "default";
            var name = metadata["name"]!.GetValue<string>();
            var ipText = pod["status"]?["podIP"]?.GetValue<string>();
            var modeled = ipText is null || !IPAddress.TryParse(ipText, out _);
            var ip = modeled ? ModeledAddress(cidr, ns, name) : IPAddress.Parse(ipText!);
            pods.Add(new TrafficPod(
                ns,
                name,
                Labels(metadata["labels"]),
                ip,
                node,
                WorkloadOf(metadata),
                pod["spec"]?["serviceAccountName"]?.GetValue<string>() ?? "default",
                $"{metadata["uid"]?.GetValue<string>()}/{metadata["resourceVersion"]?.GetValue<string>()}/{ip}",
                modeled,
                HasSidecar(pod["spec"]),
                AppImage(pod["spec"]),
                NamedPorts(pod["spec"]),
                pod["spec"]?["hostNetwork"]?.GetValue<bool>() == true,
                ObjectFacts.UsesClusterDns(pod),
                ObjectFacts.IsPodReady(pod),
                Probes(pod["spec"])));
        }

        var services = api.List("v1", "Service")
            .Where(s => s["spec"]?["selector"] is JsonObject)
            .Select(s => new TrafficService(
                s["metadata"]!["namespace"]?.GetValue<string>() ?? "default",
                s["metadata"]!["name"]!.GetValue<string>(),
                Labels(s["spec"]!["selector"]),
                (s["spec"]!["ports"] as JsonArray ?? []).Select(p => Number(p?["port"]) ?? 0).ToArray(),
                IPAddress.TryParse(s["spec"]!["clusterIP"]?.GetValue<string>(), out var clusterIp) ? clusterIp : null,
                (s["spec"]!["ports"] as JsonArray ?? []).Select(p => p?["targetPort"]?.ToString()).ToArray()))
            .ToArray();
        return new TrafficTopology(pods, services, Nodes(api));
    }

    private static TrafficNode[] Nodes(IClusterApi api)
    {
        // CiliumNodes exist once Cilium's CRDs do; each names the pod CIDR its agent takes the health address from.
        var ciliumNodes = api.Get("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "ciliumnodes.cilium.io") is null
            ? []
            : api.List("cilium.io/v2", "CiliumNode");
        var nodes = new List<TrafficNode>();
        foreach (var node in api.List("v1", "Node"))
        {
            if (ObjectFacts.NodeInternalIp(node) is not { } text || !IPAddress.TryParse(text, out var address))
            {
                continue;
            }

            var name = ObjectFacts.Name(node);
            var cidr = ciliumNodes.FirstOrDefault(n => ObjectFacts.Name(n) == name)?["spec"]?["ipam"]?["podCIDRs"]?[0]?.GetValue<string>();
            nodes.Add(new TrafficNode(name, address, IPNetwork.TryParse(cidr, out var podCidr) ? Cilium.CiliumNodeAddresses.Health(podCidr) : null));
        }

        return [.. nodes];
    }

    /// <summary>The containers' liveness and readiness probes that go over the network (exec probes do not; a probe with its own <c>host</c> goes elsewhere).</summary>
    private static PodProbe[]? Probes(JsonNode? spec)
    {
        List<PodProbe>? probes = null;
        foreach (var container in Containers(spec, "containers"))
        {
            var name = container["name"]?.GetValue<string>() ?? "";
            foreach (var kind in (ReadOnlySpan<string>)["liveness", "readiness"])
            {
                if (container[kind + "Probe"] is not JsonObject probe)
                {
                    continue;
                }

                var (action, handler) = probe["httpGet"] is JsonObject http ? ("httpGet", http)
                    : probe["tcpSocket"] is JsonObject tcp ? ("tcpSocket", tcp)
                    : probe["grpc"] is JsonObject grpc ? ("grpc", grpc)
                    : (null, null);
                if (action is null || handler!["host"] is not null || ProbePort(handler["port"], container) is not { } port)
                {
                    continue;
                }

                var period = Number(probe["periodSeconds"]) is { } seconds and > 0 ? seconds : 10;
                (probes ??= []).Add(new PodProbe(name, kind, action, port, handler["path"]?.GetValue<string>() ?? (action == "httpGet" ? "/" : null),
                    action == "httpGet" ? handler["scheme"]?.GetValue<string>() ?? "HTTP" : null, TimeSpan.FromSeconds(period)));
            }
        }

        return probes?.ToArray();
    }

    /// <summary>A probe's port: a number, or the name of one of the container's ports.</summary>
    private static int? ProbePort(JsonNode? port, JsonObject container)
    {
        if (Number(port) is { } number)
        {
            return number;
        }

        var name = port is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
        return (container["ports"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(p => p["name"]?.GetValue<string>() == name)
            .Select(p => Number(p["containerPort"]))
            .FirstOrDefault();
    }

    /// <summary>Istio's injector adds a container named <c>istio-proxy</c> (or a native sidecar init container of that name).</summary>
    private static bool HasSidecar(JsonNode? spec) =>
        Containers(spec, "containers").Concat(Containers(spec, "initContainers")).Any(c => c["name"]?.GetValue<string>() == "istio-proxy");

    private static string? AppImage(JsonNode? spec) =>
        Containers(spec, "containers").FirstOrDefault(c => c["name"]?.GetValue<string>() != "istio-proxy")?["image"]?.GetValue<string>();

    private static Dictionary<string, int>? NamedPorts(JsonNode? spec)
    {
        Dictionary<string, int>? ports = null;
        foreach (var container in Containers(spec, "containers"))
        {
            foreach (var port in (container["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (port["name"]?.GetValue<string>() is { } name && Number(port["containerPort"]) is { } value)
                {
                    (ports ??= new Dictionary<string, int>(StringComparer.Ordinal))[name] = value;
                }
            }
        }

        return ports;
    }

    /// <summary>A port number however the object was written (JSON number of any width, or a numeric string).</summary>
    private static int? Number(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<long>(out var l) && l is >= 0 and <= 65535 => (int)l,
        JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private static IEnumerable<JsonObject> Containers(JsonNode? spec, string field) => (spec?[field] as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>A Deployment's pod is owned by ReplicaSet <c>name-hash</c>: the workload is <c>name</c>.</summary>
    private static string? WorkloadOf(JsonNode metadata)
    {
        var owner = (metadata["ownerReferences"] as JsonArray)?.FirstOrDefault(o => o?["controller"]?.GetValue<bool>() == true) ?? (metadata["ownerReferences"] as JsonArray)?.FirstOrDefault();
        var name = owner?["name"]?.GetValue<string>();
        if (name is null)
        {
            return null;
        }

        if (owner!["kind"]?.GetValue<string>() == "ReplicaSet" && metadata["labels"]?["pod-template-hash"]?.GetValue<string>() is { } hash && name.EndsWith("-" + hash, StringComparison.Ordinal))
        {
            return name[..^(hash.Length + 1)];
        }

        return name;
    }

    private static Dictionary<string, string> Labels(JsonNode? node) =>
        node is JsonObject labels
            ? labels.Where(l => l.Value is not null).ToDictionary(l => l.Key, l => l.Value!.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Host part from a stable hash of namespace/name, kept clear of the network and broadcast addresses.</summary>
    public static IPAddress ModeledAddress(IPNetwork cidr, string @namespace, string name)
    {
        var bytes = cidr.BaseAddress.GetAddressBytes();
        var hostBits = 32 - cidr.PrefixLength;
        var hosts = hostBits >= 31 ? uint.MaxValue - 1 : (1u << hostBits) - 2;
        uint hash = 2166136261;
        foreach (var c in $"{@namespace}/{name}")
        {
            hash = unchecked((hash ^ c) * 16777619);
        }

        var offset = 1 + hash % Math.Max(1, hosts);
        var value = ((uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3]) + offset;
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
    }
}
