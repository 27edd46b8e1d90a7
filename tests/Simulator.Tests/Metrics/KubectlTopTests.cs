using System.Text.RegularExpressions;
using LabNet.Simulator.Tests.Kubernetes;

namespace LabNet.Simulator.Tests.Metrics;

/// <summary>
/// The real kubectl's <c>top</c> and <c>get apiservices</c> against the twin: no metrics API before metrics-server is
/// installed, numbers once it runs and has scraped, nothing while it cannot read the kubelets.
/// </summary>
[Collection(SimulatorServerCollection.Name)]
public sealed class KubectlTopTests(SimulatorServer server)
{
    private static readonly string Workload = TestWorkloads.Httpbin();

    [Fact]
    public async Task Without_metrics_server_kubectl_top_says_the_metrics_api_is_not_available()
    {
        var cluster = server.CreateCluster();

        var top = await cluster.Kubectl.RunAsync("top", "nodes");

        Assert.Equal(1, top.ExitCode);
        Assert.Equal("error: Metrics API not available\n", top.Stderr);
    }

    [Fact]
    public async Task With_metrics_server_kubectl_top_shows_the_usage_of_nodes_and_pods()
    {
        var cluster = server.CreateCluster();
        cluster.Kubectl.WriteFile("httpbin.yaml", Workload);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "httpbin.yaml")).ExitCode);
        await MetricsServer.InstallAsync(cluster);

        var apiServices = await Eventually.WaitForAsync(
            () => cluster.Kubectl.RunAsync("get", "apiservices"),
            r => r.Stdout.Contains("True", StringComparison.Ordinal));
        var nodes = await Eventually.WaitForAsync(
            () => cluster.Kubectl.RunAsync("top", "nodes"),
            r => r.ExitCode == 0 && Regex.IsMatch(r.Stdout, @"-worker2\s+\d+m"), TimeSpan.FromSeconds(30));
        var pods = await Eventually.WaitForAsync(
            () => cluster.Kubectl.RunAsync("top", "pods", "-l", "app=httpbin"),
            r => r.ExitCode == 0 && Regex.Matches(r.Stdout, @"httpbin-\S+\s+\d+m\s+\d+Mi").Count == 2, TimeSpan.FromSeconds(30));

        Assert.True(Regex.IsMatch(apiServices.Stdout, @"^NAME\s+SERVICE\s+AVAILABLE\s+AGE\nv1beta1\.metrics\.k8s\.io\s+kube-system/metrics-server\s+True\s+\d+s\n$"),
            apiServices.ToString() + nodes + pods);
        Assert.Matches(@"^NAME\s+CPU\(cores\)\s+CPU%\s+MEMORY\(bytes\)\s+MEMORY%\s*\n", nodes.Stdout);
        // The test nodes report no allocatable, so kubectl leaves the percentages empty (the lab's nodes have them).
        Assert.Equal(3, Regex.Matches(nodes.Stdout, @"c\d+-(master|worker1|worker2)\s+\d+m\s+\d+Mi").Count);
        Assert.Matches(@"^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\n", pods.Stdout);
    }

    [Fact]
    public async Task Metrics_server_without_kubelet_insecure_tls_has_no_metrics_on_kubeadm_nodes()
    {
        var cluster = server.CreateCluster();
        await MetricsServer.InstallAsync(cluster, insecureTls: false);
        await Eventually.WaitForAsync(
            () => cluster.Kubectl.RunAsync("get", "apiservices"),
            r => r.Stdout.Contains("True", StringComparison.Ordinal));

        var top = await cluster.Kubectl.RunAsync("top", "nodes");

        Assert.Equal(1, top.ExitCode);
        Assert.Equal("error: metrics not available yet\n", top.Stderr);
    }
}
