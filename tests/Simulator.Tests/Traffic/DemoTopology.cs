using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Tests.Cilium;
using LabNet.Simulator.Traffic;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Tests.Traffic;

/// <summary>The demo's pods (DemoLab) on dev-worker1 with the Services of manifests/demo, as the generator's topology.</summary>
internal static class DemoTopology
{
    public static TrafficTopology Dev() => new(
        [.. new[] { DemoLab.Nginx, DemoLab.HttpbinV1, DemoLab.HttpbinV2, DemoLab.Redis, DemoLab.Postgres, DemoLab.Keycloak, DemoLab.Unlabeled, DemoLab.KubeDns }.Select(Pod)],
        [
            Service("demo", "nginx-web", 80, ("app", "nginx-web")),
            Service("demo", "httpbin", 80, ("app", "httpbin")),
            Service("demo", "redis", 6379, ("app", "redis")),
            Service("demo", "postgres", 5432, ("app", "postgres")),
            Service("kube-system", "kube-dns", 53, ("k8s-app", "kube-dns")),
        ]);

    private static TrafficPod Pod(PodEndpoint pod) =>
        new(pod.Namespace, pod.Name, pod.Labels, pod.PodIp!, "dev-worker1", pod.Labels.GetValueOrDefault("app"), "default", pod.Namespace + "/" + pod.Name);

    private static TrafficService Service(string ns, string name, int port, params (string Key, string Value)[] selector) =>
        new(ns, name, selector.ToDictionary(s => s.Key, s => s.Value), [port]);
}
