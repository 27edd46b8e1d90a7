using System.Net;
using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Tests.Cilium;
using LabNet.Simulator.Traffic;
using LabNet.Simulator.Workloads;

namespace LabNet.Benchmarks.Hubble;

/// <summary>The demo on dev (3 nginx, 2+1 httpbin, redis, postgres, keycloak, kube-dns) under the lab's shipped policies.</summary>
internal static class DemoTrafficSetup
{
    public static CiliumPolicyEngine PolicyEngine()
    {
        var engine = new CiliumPolicyEngine(new CiliumPolicyEngineOptions { ClusterName = "dev" });
        var directory = FindUpwards(Path.Combine("manifests", "network-policies"));
        engine.ApplyAll(Directory.GetFiles(directory, "*.yaml").Order().SelectMany(f => YamlManifests.Parse(File.ReadAllText(f))));
        return engine;
    }

    public static TrafficTopology Topology()
    {
        var pods = new List<TrafficPod>();
        var n = 10;
        void Add(string ns, string name, string? workload, params (string Key, string Value)[] labels) =>
            pods.Add(new TrafficPod(ns, name, labels.ToDictionary(l => l.Key, l => l.Value), IPAddress.Parse($"10.20.1.{n++}"), "dev-worker1", workload, "default", ns + "/" + name));
        for (var i = 0; i < 3; i++)
        {
            Add("demo", $"nginx-web-7d4b9c8f6-{i}", "nginx-web", ("app", "nginx-web"));
        }

        Add("demo", "httpbin-5f8d7b6c4-a", "httpbin", ("app", "httpbin"), ("version", "v1"));
        Add("demo", "httpbin-5f8d7b6c4-b", "httpbin", ("app", "httpbin"), ("version", "v1"));
        Add("demo", "httpbin-v2-6b7c8d9e0-a", "httpbin-v2", ("app", "httpbin"), ("version", "v2"));
        Add("demo", "redis-6c5d4e3f2-a", "redis", ("app", "redis"));
        Add("demo", "postgres-5b4a3c2d1-a", "postgres", ("app", "postgres"));
        Add("demo", "keycloak-3f2e1d0c9-a", "keycloak", ("app", "keycloak"));
        Add("kube-system", "coredns-7c65d6cfc9-a", "coredns", ("k8s-app", "kube-dns"));
        TrafficService Service(string ns, string name, int port, string key, string value) => new(ns, name, new Dictionary<string, string> { [key] = value }, [port]);
        return new TrafficTopology(pods,
        [
            Service("demo", "nginx-web", 80, "app", "nginx-web"),
            Service("demo", "httpbin", 80, "app", "httpbin"),
            Service("demo", "redis", 6379, "app", "redis"),
            Service("demo", "postgres", 5432, "app", "postgres"),
            Service("kube-system", "kube-dns", 53, "k8s-app", "kube-dns"),
        ]);
    }

    private static string FindUpwards(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, relative)))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        throw new DirectoryNotFoundException($"{relative} not found above {AppContext.BaseDirectory}; run the benchmarks from the repository.");
    }
}
