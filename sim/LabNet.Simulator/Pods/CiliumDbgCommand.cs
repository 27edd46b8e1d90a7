using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Pods;

/// <summary>
/// <c>cilium-dbg status</c> (and <c>cilium status</c>) inside a cilium agent pod: the agent's summary, every number
/// taken from the cluster's state (the node's pod CIDR and the pods on it, cilium-config, the node's Hubble ring,
/// the nodes of the cluster). <c>--brief</c> prints the one-line verdict.
/// </summary>
internal sealed class CiliumDbgCommand : IPodCommand
{
    private const string CiliumVersion = "1.16.5";
    private const string CiliumRevision = "ad688277";

    public IReadOnlyList<string> Names { get; } = ["cilium", "cilium-dbg"];

    public async Task<int> RunAsync(PodCommandCall call)
    {
        var args = call.Args;
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help")
        {
            await call.Stdout.WriteAsync("CLI for interacting with the local Cilium Agent\n\nUsage:\n  cilium-dbg [command]\n\nAvailable Commands:\n  status      Display status of daemon\n  version     Print version information\n\nUse \"cilium-dbg [command] --help\" for more information about a command.\n");
            return 0;
        }

        switch (args[0])
        {
            case "version":
                await call.Stdout.WriteAsync($"Client: {CiliumVersion} {CiliumRevision} 2024-12-12T07:00:00+00:00 go version go1.22.10 linux/arm64\nDaemon: {CiliumVersion} {CiliumRevision} 2024-12-12T07:00:00+00:00 go version go1.22.10 linux/arm64\n");
                return 0;
            case "status":
                return await StatusAsync(call, args.Skip(1).ToList());
            default:
                await call.Stderr.WriteAsync($"Error: unknown command \"{args[0]}\" for \"cilium-dbg\"\nRun 'cilium-dbg --help' for usage.\n");
                return 1;
        }
    }

    private static async Task<int> StatusAsync(PodCommandCall call, List<string> flags)
    {
        var process = call.Process;
        var cluster = process.Cluster;
        var config = cluster.Get("v1", "ConfigMap", "kube-system", "cilium-config")?["data"] as JsonObject;
        string Config(string key, string fallback) => config?[key]?.GetValue<string>() ?? fallback;

        var nodes = cluster.List("v1", "Node");
        var node = nodes.FirstOrDefault(n => n["metadata"]?["name"]?.GetValue<string>() == process.NodeName);
        if (node is null)
        {
            await call.Stderr.WriteLineAsync("Error: Unable to reach agent: Get \"http://localhost/v1/healthz\": dial unix /var/run/cilium/cilium.sock: connect: no such file or directory");
            return 1;
        }

        if (flags.Contains("--brief"))
        {
            await call.Stdout.WriteLineAsync("OK");
            return 0;
        }

        var nodeIp = InternalIp(node) ?? "";
        var arch = node["metadata"]?["labels"]?["kubernetes.io/arch"]?.GetValue<string>() ?? "arm64";
        var version = cluster.Bootstrap.KubernetesVersion.TrimStart('v');
        var minor = string.Join('.', version.Split('.').Take(2));
        var podCidr = Custom(() => cluster.Get("cilium.io/v2", "CiliumNode", null, process.NodeName))?["spec"]?["ipam"]?["podCIDRs"]?[0]?.GetValue<string>()
            ?? node["spec"]?["podCIDR"]?.GetValue<string>() ?? "";
        var capacity = IPNetwork.TryParse(podCidr, out var network) ? (1 << (32 - network.PrefixLength)) - 2 : 254;
        var endpoints = cluster.List("v1", "Pod")
            .Where(p => p["spec"]?["nodeName"]?.GetValue<string>() == process.NodeName
                && p["spec"]?["hostNetwork"]?.GetValue<bool>() != true
                && p["status"]?["podIP"]?.GetValue<string>() is { } ip
                && (network == default || (IPAddress.TryParse(ip, out var address) && network.Contains(address))))
            .ToList();
        // The router address (cilium_host) and the health endpoint are allocated on every node besides the pods.
        var allocated = endpoints.Count + 2;
        var kpr = Config("kube-proxy-replacement", "false") == "true";
        var routing = Config("routing-mode", "tunnel") == "native" ? "Network: Native   Host: Legacy" : $"Network: Tunnel [{Config("tunnel-protocol", "vxlan")}]   Host: Legacy";
        var hubbleEnabled = Config("enable-hubble", "false") == "true";
        var ring = process.Services.Hubble?.Find(process.ClusterName)?.Rings.FirstOrDefault(r => r.NodeName == $"{process.ClusterName}/{process.NodeName}");
        var flowsCapacity = ring?.Capacity ?? 4095;
        var flows = ring?.Count ?? 0;
        var uptime = process.Services.Hubble?.Find(process.ClusterName) is { } hubble ? process.Services.Now - hubble.StartedAt : TimeSpan.Zero;
        var flowsPerSecond = uptime.TotalSeconds > 1 && ring is not null ? ring.Written / uptime.TotalSeconds : 0;
        var readyNodes = nodes.Count(n => (n["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Any(c => c["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True"));
        var controllers = 20 + (endpoints.Count * 6) + nodes.Count;
        var routerIp = network != default ? Cilium.CiliumNodeAddresses.Router(network).ToString() : "";
        var redirects = (Custom(() => cluster.List("cilium.io/v2", "CiliumNetworkPolicy")) ?? []).Count(p => p.ToJsonString().Contains("\"http\"", StringComparison.Ordinal));

        var text = new StringBuilder();
        void Line(string key, string value) => text.Append((key + ":").PadRight(25)).Append(value).Append('\n');
        Line("KVStore", "Disabled   ");
        Line("Kubernetes", $"Ok         {minor} ({cluster.Bootstrap.KubernetesVersion}) [linux/{arch}]");
        Line("Kubernetes APIs", "[\"EndpointSliceOrEndpoint\", \"cilium/v2::CiliumClusterwideNetworkPolicy\", \"cilium/v2::CiliumEndpoint\", \"cilium/v2::CiliumNetworkPolicy\", \"cilium/v2::CiliumNode\", \"cilium/v2alpha1::CiliumCIDRGroup\", \"core/v1::Namespace\", \"core/v1::Pods\", \"core/v1::Service\", \"networking.k8s.io/v1::NetworkPolicy\"]");
        Line("KubeProxyReplacement", kpr ? $"True   [eth0   {nodeIp} fe80::{Hex(nodeIp)} (Direct Routing)]" : "False   [eth0   " + nodeIp + "]");
        Line("Host firewall", "Disabled");
        Line("SRv6", "Disabled");
        Line("CNI Chaining", "none");
        Line("CNI Config file", "successfully wrote CNI configuration file to /host/etc/cni/net.d/05-cilium.conflist");
        Line("Cilium", $"Ok   {CiliumVersion} ({CiliumVersion}-{CiliumRevision})");
        Line("NodeMonitor", "Listening for events on 4 CPUs with 64x4096 of shared memory");
        Line("Cilium health daemon", "Ok   ");
        Line("IPAM", string.Create(CultureInfo.InvariantCulture, $"IPv4: {allocated}/{capacity} allocated from {podCidr}, "));
        Line("IPv4 BIG TCP", "Disabled");
        Line("IPv6 BIG TCP", "Disabled");
        Line("BandwidthManager", "Disabled");
        Line("Routing", routing);
        Line("Attach Mode", "TCX");
        Line("Device Mode", "veth");
        Line("Masquerading", $"BPF   [eth0]   {cluster.Bootstrap.PodCidr} [IPv4: Enabled, IPv6: Disabled]");
        Line("Controller Status", string.Create(CultureInfo.InvariantCulture, $"{controllers}/{controllers} healthy"));
        Line("Proxy Status", string.Create(CultureInfo.InvariantCulture, $"OK, ip {routerIp}, {redirects} redirects active on ports 10000-20000, Envoy: external"));
        Line("Global Identity Range", "min 256, max 65535");
        Line("Hubble", hubbleEnabled
            ? string.Create(CultureInfo.InvariantCulture, $"Ok              Current/Max Flows: {flows}/{flowsCapacity} ({100.0 * flows / flowsCapacity:0.00}%), Flows/s: {flowsPerSecond:0.00}   Metrics: {(Config("hubble-metrics", "").Length > 0 ? "Ok" : "Disabled")}")
            : "Disabled");
        Line("Encryption", "Disabled        ");
        Line("Cluster health", string.Create(CultureInfo.InvariantCulture, $"{readyNodes}/{nodes.Count} reachable   ({process.Services.Now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'})"));
        Line("Modules Health", "Stopped(0) Degraded(0) OK(58)");
        await call.Stdout.WriteAsync(text.ToString());
        return 0;
    }

    /// <summary>Reads a custom resource that may not exist yet (its CRD not installed): none then.</summary>
    private static T? Custom<T>(Func<T?> read) where T : class
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string? InternalIp(JsonObject node) =>
        (node["status"]?["addresses"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(a => a["type"]?.GetValue<string>() == "InternalIP")?["address"]?.GetValue<string>();

    /// <summary>A stable link-local suffix derived from the node's address (the real one comes from the NIC's MAC).</summary>
    private static string Hex(string ip)
    {
        var parts = ip.Split('.');
        return parts.Length == 4
            ? string.Create(CultureInfo.InvariantCulture, $"5054:ff:fe{int.Parse(parts[2], CultureInfo.InvariantCulture):x2}:{int.Parse(parts[3], CultureInfo.InvariantCulture):x2}00")
            : "1";
    }
}
