using System.Net;
using LabNet.Simulator.Mesh;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Tests.Traffic.Background;

/// <summary>
/// A small staging cluster as its background traffic sees it: two nodes with Cilium agents, CoreDNS behind kube-dns,
/// hubble-relay, and in namespace <c>shop</c> a web pod with an HTTP readiness probe and a client pod.
/// </summary>
internal static class StagingTopology
{
    public static readonly TrafficNode Master = new("staging-master", IPAddress.Parse("192.168.65.20"), IPAddress.Parse("10.30.0.254"));
    public static readonly TrafficNode Worker = new("staging-worker1", IPAddress.Parse("192.168.65.21"), IPAddress.Parse("10.30.1.254"));

    public static readonly TrafficPod Web = Pod("shop", "web-5d8f7c6b4-wwwww", "10.30.1.10", Worker, ("app", "web")) with
    {
        Workload = "web",
        Probes = [new PodProbe("nginx", "readiness", "httpGet", 80, "/healthz", "HTTP", TimeSpan.FromSeconds(10))],
    };

    public static readonly TrafficPod Client = Pod("shop", "client-6c7d8e9f0-ccccc", "10.30.1.11", Worker, ("app", "client")) with { Workload = "client" };
    public static readonly TrafficPod CoreDns = Pod("kube-system", "coredns-7c65d6cfc9-kdns1", "10.30.0.10", Master, ("k8s-app", "kube-dns")) with { UsesClusterDns = false };
    public static readonly TrafficPod Relay = Pod("kube-system", "hubble-relay-7b9c8d6f5-rrrrr", "10.30.1.20", Worker, ("k8s-app", "hubble-relay"));

    public static TrafficPod Agent(TrafficNode node, bool ready = true) =>
        Pod("kube-system", "cilium-" + node.Name[^5..], node.Address.ToString(), node, ("k8s-app", "cilium")) with { HostNetwork = true, UsesClusterDns = false, Ready = ready };

    public static TrafficTopology Cluster(params TrafficPod[] extra) => new(
        [Agent(Master), Agent(Worker), CoreDns, Relay, Web, Client, .. extra],
        [
            new TrafficService("kube-system", "kube-dns", new Dictionary<string, string> { ["k8s-app"] = "kube-dns" }, [53], IPAddress.Parse("10.98.0.10")),
            new TrafficService("shop", "web", new Dictionary<string, string> { ["app"] = "web" }, [80], IPAddress.Parse("10.98.0.20")),
            new TrafficService("default", "kubernetes", new Dictionary<string, string>(), [443], IPAddress.Parse("10.98.0.1")),
        ],
        [Master, Worker]);

    public static TrafficPod Pod(string ns, string name, string ip, TrafficNode node, params (string Key, string Value)[] labels) =>
        new(ns, name, labels.ToDictionary(l => l.Key, l => l.Value), IPAddress.Parse(ip), node.Name, null, "default", $"{ns}/{name}");
}

/// <summary>kube-dns over <see cref="StagingTopology"/>'s Services: short names in the client's namespace, or fully qualified ones.</summary>
internal sealed class StagingDns : IClusterDns
{
    public DnsAnswer Resolve(string cluster, string clientNamespace, string name)
    {
        var fqdn = name.EndsWith('.') ? name.TrimEnd('.') : $"{name}.{clientNamespace}.svc.cluster.local";
        var service = StagingTopology.Cluster().Services.FirstOrDefault(s => s.Fqdn == fqdn);
        return service is null
            ? new DnsAnswer(name, null, [], IPAddress.Parse("10.98.0.10"))
            : new DnsAnswer(name, fqdn, [service.ClusterIp!], IPAddress.Parse("10.98.0.10"));
    }
}
