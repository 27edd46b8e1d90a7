using System.Text.Json.Nodes;

namespace LabNet.Provisioner.Tests.Simulation;

[Collection(AppliedLabCollection.Name)]
public sealed class LabApplyTests(AppliedLabFixture fixture)
{
    private static readonly string[] Clusters = ["platform", "dev", "staging", "prod"];

    [Fact]
    public void Applying_the_original_spec_succeeds_on_every_cluster()
    {
        var result = fixture.FirstApply;

        Assert.True(result["status"]?.GetValue<string>() == "succeeded", result.ToJsonString());
        Assert.Equal(Clusters, result["clusters"]!.AsArray().Select(c => c!["cluster"]!.GetValue<string>()));
    }

    [Fact]
    public void Each_cluster_gets_a_private_kubeconfig()
    {
        foreach (var cluster in Clusters)
        {
            var kubeconfig = Path.Combine(fixture.Lab.KubeconfigDirectory, $"{cluster}.yaml");
            Assert.True(File.Exists(kubeconfig), $"{kubeconfig} was not written");
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(kubeconfig));
            }
        }
    }

    [Theory]
    [InlineData("platform")]
    [InlineData("dev")]
    public async Task Ciliums_socket_load_balancing_stays_out_of_the_pods_so_istio_sidecars_see_service_addresses(string cluster)
    {
        var (exitCode, output) = await KubectlAsync(cluster, "get", "configmap", "cilium-config", "-n", "kube-system",
            "-o", "jsonpath={.data.kube-proxy-replacement} {.data.bpf-lb-sock-hostns-only}");

        Assert.Equal(0, exitCode);
        Assert.Equal("true true", output);
    }

    [Theory]
    [InlineData("platform", 3)]
    [InlineData("dev", 2)]
    [InlineData("staging", 2)]
    [InlineData("prod", 3)]
    public async Task The_real_kubectl_sees_every_node_ready_through_the_written_kubeconfig(string cluster, int nodes)
    {
        var (exitCode, output) = await KubectlAsync(cluster, "get", "nodes", "--no-headers");

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(nodes, lines.Length);
        Assert.All(lines, line => Assert.Contains(" Ready ", line));
    }

    [Theory]
    [InlineData("platform", 3)]
    [InlineData("dev", 2)]
    [InlineData("staging", 2)]
    [InlineData("prod", 3)]
    public async Task Every_node_runs_exactly_one_cilium_agent(string cluster, int nodes)
    {
        // Agents restart after the Hubble upgrade; a node may briefly have none, but never two.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var (exitCode, output) = await KubectlAsync(cluster, "get", "pods", "-n", "kube-system", "-l", "k8s-app=cilium",
                "-o", "custom-columns=NODE:.spec.nodeName", "--no-headers");
            Assert.Equal(0, exitCode);
            var perNode = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).GroupBy(n => n.Trim()).ToDictionary(g => g.Key, g => g.Count());
            Assert.All(perNode, node => Assert.True(node.Value == 1, $"{cluster}: node {node.Key} runs {node.Value} cilium agents"));
            if (perNode.Count == nodes || DateTime.UtcNow > deadline)
            {
                Assert.Equal(nodes, perNode.Count);
                return;
            }

            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Dev_runs_the_demo_its_policies_istio_and_the_canary()
    {
        var (policies, cnp) = await KubectlAsync("dev", "get", "cnp", "-n", "demo", "-o", "name");
        var (deployments, deploy) = await KubectlAsync("dev", "get", "deployments", "-n", "demo", "-o", "name");
        var (routes, vs) = await KubectlAsync("dev", "get", "vs,dr", "-n", "demo", "-o", "name");
        var (canaries, canary) = await KubectlAsync("dev", "get", "canaries", "-n", "demo", "-o", "name");

        Assert.Equal((0, 0, 0, 0), (policies, deployments, routes, canaries));
        Assert.Contains("ciliumnetworkpolicy.cilium.io/allow-nginx-to-httpbin", cnp);
        Assert.Contains("deployment.apps/httpbin-v2", deploy);
        Assert.Contains("virtualservice.networking.istio.io/httpbin-routing", vs);
        Assert.Contains("destinationrule.networking.istio.io/httpbin-destination", vs);
        Assert.Contains("canary.labnet.io/httpbin", canary);
    }

    [Fact]
    public async Task The_repos_manifests_apply_with_the_real_kubectl()
    {
        var manifests = RepositoryRoot.Combine("manifests");

        var (exitCode, output) = await KubectlAsync("dev", "apply",
            "-f", Path.Combine(manifests, "demo"), "-f", Path.Combine(manifests, "network-policies"),
            "-f", Path.Combine(manifests, "istio"), "-f", Path.Combine(manifests, "canary"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("ciliumnetworkpolicy.cilium.io/allow-nginx-to-httpbin", output);
        Assert.Contains("virtualservice.networking.istio.io/httpbin-routing", output);
    }

    [Fact]
    public async Task A_second_apply_issues_no_mutating_command()
    {
        var before = (await fixture.ToolCallsAsync()).Count;

        var second = await fixture.ApplyAsync();
        var calls = (await fixture.ToolCallsAsync()).Skip(before).ToList();

        Assert.True(second["status"]?.GetValue<string>() == "succeeded", second.ToJsonString());
        Assert.NotEmpty(calls);
        Assert.Empty(calls.Where(c => c.Mutates).Select(c => $"{c.Tool}: {c.Command}"));
    }
    private Task<(int ExitCode, string Output)> KubectlAsync(string cluster, params string[] arguments) =>
        fixture.Lab.KubectlAsync(cluster, arguments);
}
