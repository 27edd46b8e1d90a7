using System.Text.Json.Nodes;
using LabNet.Hubble.FlowApi;
using LabNet.Simulator.Hubble.Relay;
using LabNet.Simulator.Kubernetes;
using LabNet.Simulator.Metrics;
using LabNet.Simulator.Tests.Kubernetes;

namespace LabNet.Simulator.Tests.Metrics;

/// <summary>The usage model follows the connections each pod serves, and metrics-server's API serves it in the real wire form.</summary>
[Collection(SimulatorServerCollection.Name)]
public sealed class ResourceUsageModelTests(SimulatorServer server)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    private async Task<(IClusterApi Api, List<string> Pods)> TwoHttpbinPodsAsync()
    {
        var cluster = server.CreateCluster();
        cluster.Kubectl.WriteFile("httpbin.yaml", TestWorkloads.Httpbin(requests: false));
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "httpbin.yaml")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/httpbin", "--timeout=20s")).ExitCode);
        var pods = cluster.Api.List("v1", "Pod", "default").Select(ObjectFacts.Name).Order(StringComparer.Ordinal).ToList();
        return (cluster.Api, pods);
    }

    private static void Serve(HubbleClusterFlows flows, string pod, int connections)
    {
        var batch = Enumerable.Range(0, connections).Select(_ => new Flow
        {
            NodeName = $"{flows.ClusterName}/worker1",
            TraceReason = TraceReason.New,
            IsReply = false,
            Verdict = Verdict.Forwarded,
            Source = new Endpoint { Namespace = "default", PodName = "client" },
            Destination = new Endpoint { Namespace = "default", PodName = pod },
        }).ToList();
        flows.Publish(batch);
    }

    [Fact]
    public async Task A_pod_serving_40_connections_a_second_uses_its_idle_cpu_plus_the_per_connection_cost()
    {
        var (api, pods) = await TwoHttpbinPodsAsync();
        var flows = new HubbleClusterFlows(api.Bootstrap.Name, 100_000, Start, 1);
        var model = new ResourceUsageModel(api.Bootstrap.Name, 20261126);

        var first = model.Scrape(api, flows, Start);
        var idle = model.Scrape(api, flows, Start.AddSeconds(15));
        Serve(flows, pods[0], 40 * 15);
        var busy = model.Scrape(api, flows, Start.AddSeconds(30));

        Assert.Empty(first.Pods);
        Assert.All(idle.Pods, p => Assert.InRange(p.CpuNanocores / 1e6, 3 * 0.95, 3 * 1.05));
        var served = busy.Pods.Single(p => p.Name == pods[0]);
        var quiet = busy.Pods.Single(p => p.Name == pods[1]);
        Assert.InRange(served.CpuNanocores / 1e6, (3 + 1.3 * 40) * 0.95, (3 + 1.3 * 40) * 1.05);
        Assert.InRange(quiet.CpuNanocores / 1e6, 3 * 0.95, 3 * 1.05);
        Assert.True(served.MemoryBytes > quiet.MemoryBytes, "memory follows the traffic");
        Assert.Equal(TimeSpan.FromSeconds(15), busy.Window);
        var node = busy.Nodes.Single(n => n.Name == served.Node);
        Assert.True(node.CpuNanocores > busy.Pods.Where(p => p.Node == node.Name).Sum(p => p.CpuNanocores), "a node is its pods plus the system's share");
    }

    [Fact]
    public async Task The_metrics_api_serves_pod_and_node_metrics_in_metrics_servers_wire_form()
    {
        var (api, pods) = await TwoHttpbinPodsAsync();
        var model = new ResourceUsageModel(api.Bootstrap.Name, 20261126);
        model.Scrape(api, null, Start);
        model.Scrape(api, null, Start.AddSeconds(15));
        var metricsApi = new MetricsServerApi(() => model.Latest, TimeProvider.System);

        var list = metricsApi.List(metricsApi.Pods, "default", LabelSelector.Parse("app=httpbin"));
        var node = metricsApi.Get(metricsApi.Nodes, null, $"{api.Bootstrap.Name}-master");
        var missing = Assert.Throws<KubernetesApiException>(() => metricsApi.Get(metricsApi.Pods, "default", "nope"));

        Assert.Equal(pods, list.Select(ObjectFacts.Name));
        var pod = list[0];
        Assert.Equal("PodMetrics", pod["kind"]!.GetValue<string>());
        Assert.Equal("metrics.k8s.io/v1beta1", pod["apiVersion"]!.GetValue<string>());
        Assert.Equal("2026-11-26T08:00:15Z", pod["timestamp"]!.GetValue<string>());
        Assert.Equal("15s", pod["window"]!.GetValue<string>());
        Assert.Equal("httpbin", pod["metadata"]!["labels"]!["app"]!.GetValue<string>());
        var usage = pod["containers"]!.AsArray().Single()!["usage"]!;
        Assert.Matches(@"^\d+n$", usage["cpu"]!.GetValue<string>());
        Assert.Matches(@"^\d+(Ki|Mi)$", usage["memory"]!.GetValue<string>());
        Assert.Equal("NodeMetrics", node["kind"]!.GetValue<string>());
        Assert.Matches(@"^\d+(n|u|m)$", node["usage"]!["cpu"]!.GetValue<string>());
        Assert.Equal(404, missing.Code);
        Assert.Equal("pods.metrics.k8s.io \"nope\" not found", missing.Message);
    }
}
