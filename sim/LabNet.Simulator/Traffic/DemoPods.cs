using LabNet.Simulator.Workloads;


namespace LabNet.Simulator.Traffic;

/// <summary>The demo's pods and Services found in a cluster's topology (by the labels of manifests/demo/).</summary>
public sealed record DemoPods(
    IReadOnlyList<TrafficPod> Nginx,
    IReadOnlyList<TrafficPod> Httpbin,
    IReadOnlyList<TrafficPod> Redis,
    IReadOnlyList<TrafficPod> Postgres,
    IReadOnlyList<TrafficPod> Keycloak,
    IReadOnlyList<TrafficPod> KubeDns,
    IReadOnlyList<TrafficPod> Unlabeled,
    IReadOnlyList<TrafficPod> AllDemo,
    TrafficService? NginxService,
    TrafficService? HttpbinService,
    TrafficService? RedisService,
    TrafficService? PostgresService,
    TrafficService? KubeDnsService)
{
    /// <summary>Name of the pod the generator models when the demo namespace has no unlabeled pod (a curl probe).</summary>
    public const string ProbePodName = "traffic-probe";

    public static DemoPods From(TrafficTopology topology, string cluster)
    {
        const string ns = TrafficGenerator.DemoNamespace;
        var demo = topology.Pods.Where(p => p.Namespace == ns).ToArray();
        var httpbinService = topology.Service(ns, "httpbin");
        var kubeDnsService = topology.Service("kube-system", "kube-dns");
        var unlabeled = demo.Where(p => p.Labels.Count == 0).ToArray();
        if (unlabeled.Length == 0 && demo.Length > 0)
        {
            // No unlabeled pod in the namespace: model one, like `kubectl run` of a bare curl pod, next to the demo.
            unlabeled = [new TrafficPod(ns, ProbePodName, new Dictionary<string, string>(), NextTo(demo[0]), demo[0].NodeName, null, "default", $"modeled/{ProbePodName}", true)];
        }

        return new DemoPods(
            demo.Where(p => p.Label("app") == "nginx-web").ToArray(),
            httpbinService is null ? demo.Where(p => p.Label("app") == "httpbin").ToArray() : topology.Backends(httpbinService),
            demo.Where(p => p.Label("app") == "redis").ToArray(),
            demo.Where(p => p.Label("app") == "postgres").ToArray(),
            demo.Where(p => p.Label("app") == "keycloak").ToArray(),
            kubeDnsService is null ? topology.PodsWith("kube-system", "k8s-app", "kube-dns").ToArray() : topology.Backends(kubeDnsService),
            unlabeled,
            demo,
            topology.Service(ns, "nginx-web"),
            httpbinService,
            topology.Service(ns, "redis"),
            topology.Service(ns, "postgres"),
            kubeDnsService);
    }

    private static System.Net.IPAddress NextTo(TrafficPod pod)
    {
        var bytes = pod.Ip.GetAddressBytes();
        bytes[3] = (byte)(bytes[3] ^ 0xFE);
        return new System.Net.IPAddress(bytes);
    }
}
