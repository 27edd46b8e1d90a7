using LabNet.Simulator.Hubble.Flows;
using LabNet.Simulator.Mesh;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Traffic.Background;

/// <summary>
/// The lookups of every pod whose resolv.conf names kube-dns: now and then (exponential gaps, mean
/// <see cref="BackgroundTrafficOptions.DnsLookupSeconds"/>) a program of the pod resolves one of the names it would use,
/// a Service of its namespace by its short name or the API server's (<c>kubernetes.default.svc.cluster.local.</c>), over
/// UDP to a ready CoreDNS pod behind the kube-dns Service (<see cref="KubeDnsLookup"/>, as curl's lookups). kube-dns's
/// answer is the twin's (<see cref="IClusterDns"/>); the pod's egress policy judges the lookup: dropped, or through
/// Cilium's DNS proxy (which refuses names its <c>rules.dns</c> do not allow).
/// </summary>
public static class DnsLookups
{
    public const string ApiServerName = "kubernetes.default.svc.cluster.local.";

    public static void Run(BackgroundStep step)
    {
        var (kubeDns, ready) = KubeDnsLookup.Servers(step.Topology);
        var servers = ready.Where(p => step.AgentNodes.ContainsKey(p.NodeName!)).ToArray();
        if (kubeDns is null || servers.Length == 0)
        {
            return;
        }

        var service = new ServiceName(kubeDns.Name, kubeDns.Namespace);
        var connections = step.Connections;
        foreach (var pod in step.Topology.Pods)
        {
            if (!pod.UsesClusterDns || pod.AddressModeled || pod.NodeName is null || !step.AgentNodes.TryGetValue(pod.NodeName, out var node))
            {
                continue;
            }

            foreach (var at in step.Due($"dns/{pod.Namespace}/{pod.Name}", TimeSpan.FromSeconds(step.Options.DnsLookupSeconds), memoryless: true))
            {
                var answer = step.Dns.Resolve(step.Cluster, pod.Namespace, NameToResolve(step.Topology, pod, connections.Random));
                var exchange = KubeDnsLookup.Exchange(answer, pod.Namespace, TimeSpan.FromMilliseconds(0.3 + connections.Random.NextDouble()));
                var client = pod.HostNetwork ? connections.Host(node) : connections.Pod(pod);
                var server = servers[servers.Length == 1 ? 0 : connections.Random.Next(servers.Length)];
                connections.Lookup(client, connections.Pod(server), service, exchange, at);
            }
        }
    }

    /// <summary>A Service of the pod's own namespace by its short name (the search path finds it first), or the API server.</summary>
    private static string NameToResolve(TrafficTopology topology, TrafficPod pod, Random random)
    {
        var own = topology.Services.Where(s => s.Namespace == pod.Namespace).ToArray();
        var pick = random.Next(own.Length + 1);
        return pick < own.Length ? own[pick].Name : ApiServerName;
    }
}
