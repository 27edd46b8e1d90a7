using LabNet.Hubble.FlowApi;
using LabNet.Simulator.Kubernetes;
using LabNet.Simulator.Tests.Kubernetes;
using LabNet.Simulator.Tests.Kubernetes.Autoscaling;
using LabNet.Simulator.Traffic;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Tests.Mesh;

/// <summary>
/// An HPA that rescales httpbin (v1) does not disturb the canary: the DestinationRule's subsets select pods by their
/// version label, so the new v1 pods join the stable subset, v2 keeps its one pod, the VirtualService's 80/20 split
/// still holds, and the per-version counts the canary analysis reads from Hubble agree with what was served.
/// </summary>
[Collection(SimulatorServerCollection.Name)]
public sealed class CanaryWithAutoscalingTests(SimulatorServer server)
{
    private static readonly string Workloads = string.Join("\n---\n",
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: demo}",
        TestWorkloads.Httpbin(@namespace: "demo", version: "v1"),
        TestWorkloads.Httpbin("httpbin-v2", "demo", replicas: 1, version: "v2"),
        TestWorkloads.HttpbinAutoscaler("demo"));

    [Fact]
    public async Task Httpbin_v1_scaled_up_by_its_hpa_keeps_the_80_20_split_and_the_per_version_counts()
    {
        var cluster = server.CreateCluster();
        cluster.Kubectl.WriteFile("workloads.yaml", Workloads);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "workloads.yaml")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/httpbin", "-n", "demo", "--timeout=20s")).ExitCode);

        // 200% of the CPU request: the HPA wants ceil(2 x 200 / 50) = 8, capped at 6.
        var busy = new FixedPodMetrics { Millicores = 100 };
        new HorizontalPodAutoscalerController((ClusterApi)cluster.Api, busy).Sync(busy.Now);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/httpbin", "-n", "demo", "--timeout=20s")).ExitCode);
        var httpbin = ClusterApiTopologySource.Read(cluster.Api).Pods
            .Where(p => p.Namespace == "demo" && p.Labels.GetValueOrDefault("app") == "httpbin")
            .Select(p => MeshLab.Pod(p.Name, p.Ip.ToString(), true, "kong/httpbin:latest", ("app", "httpbin"), ("version", p.Labels["version"])))
            .ToList();
        var lab = new MeshLab(null, MeshLab.ShippedIstio);
        lab.Pods.RemoveAll(p => p.Labels.GetValueOrDefault("app") == "httpbin");
        lab.Pods.AddRange(httpbin);

        var served = Enumerable.Range(0, 2000).Select(i => lab.Get(MeshLab.Nginx, at: MeshLab.Start.AddMilliseconds(i * 10))).ToList();

        Assert.Equal(6, httpbin.Count(p => p.Labels["version"] == "v1"));
        Assert.Single(httpbin, p => p.Labels["version"] == "v2");
        Assert.All(served, r => Assert.Equal(200, r.Status));
        // 20% of 2000 is 400, sigma ~18: 5 sigma either side.
        var v2 = served.Count(r => r.ServedBy!.Labels["version"] == "v2");
        Assert.InRange(v2, 310, 490);
        // Every v1 pod, the new ones too, takes a share of the stable subset's 80% (about 267 each).
        Assert.All(httpbin.Where(p => p.Labels["version"] == "v1"), pod => Assert.InRange(served.Count(r => r.ServedBy!.Name == pod.Name), 180, 360));
        // What Hubble recorded: one new connection delivered to a server pod per request, by the pod's version label.
        var delivered = lab.Flows.Where(f => f.TraceReason == TraceReason.New && f.IsReply == false && f.Destination.PodName.StartsWith("httpbin", StringComparison.Ordinal)).ToList();
        Assert.Equal(v2, delivered.Count(f => f.Destination.Labels.Contains("k8s:version=v2")));
        Assert.Equal(2000 - v2, delivered.Count(f => f.Destination.Labels.Contains("k8s:version=v1")));
    }
}
