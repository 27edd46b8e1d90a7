using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Tests.LabWorld;

/// <summary>The original lab's install sequence (acceptance line 2) driven through the tools endpoint.</summary>
public sealed class OriginalInstallTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(3);

    private static string ReadyStatus(JsonObject node) =>
        node["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Ready")!["status"]!.GetValue<string>();

    [Fact]
    public async Task Original_install_brings_up_all_4_clusters_and_10_nodes_Ready()
    {
        await using var world = new LabWorldFactory();
        var spec = LabSpec.Load();
        var install = new OriginalLabInstall(world.Tools(), spec);

        await install.AllAsync().WaitAsync(Budget);

        Assert.Equal(10, spec.Clusters.Sum(c => c.Nodes.Count));
        foreach (var cluster in spec.Clusters)
        {
            var api = world.Registry.Find(cluster.Name)!;
            Assert.True(api.Availability.Serving);
            var nodes = api.List("v1", "Node");
            Assert.Equal(cluster.Nodes.Select(n => n.Name).Order(), nodes.Select(n => n["metadata"]!["name"]!.GetValue<string>()).Order());
            Assert.All(nodes, n => Assert.Equal("True", ReadyStatus(n)));
            Assert.All(nodes, n => Assert.DoesNotContain(n["spec"]!["taints"]!.AsArray(), t => t!["key"]!.GetValue<string>() == "node.kubernetes.io/not-ready"));

            var config = api.Get("v1", "ConfigMap", "kube-system", "cilium-config")!;
            Assert.Equal(install.Addresses[cluster.Master.Name], config["data"]!["k8s-service-host"]!.GetValue<string>());
            Assert.Equal(cluster.PodCidr, config["data"]!["cluster-pool-ipv4-cidr"]!.GetValue<string>());
            Assert.Equal("true", config["data"]!["kube-proxy-replacement"]!.GetValue<string>());
            var cnp = api.Get("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "ciliumnetworkpolicies.cilium.io")!;
            Assert.Contains("cnp", cnp["spec"]!["names"]!["shortNames"]!.AsArray().Select(s => s!.GetValue<string>()));
            var ciliumNodes = api.List("cilium.io/v2", "CiliumNode");
            Assert.Equal(cluster.Nodes.Count, ciliumNodes.Count);
            Assert.All(ciliumNodes, cn => Assert.StartsWith(cluster.PodCidr[..cluster.PodCidr.IndexOf(".0.0/", StringComparison.Ordinal)], cn["spec"]!["ipam"]!["podCIDRs"]![0]!.GetValue<string>()));
            Assert.NotNull(api.Get("v1", "Service", "kube-system", "hubble-relay"));
            Assert.Equal(31235, api.Get("v1", "Service", "kube-system", "hubble-ui")!["spec"]!["ports"]![0]!["nodePort"]!.GetValue<int>());
        }

        var list = await world.Tools().Helm("list", "-n", "kube-system", "-o", "json", "--kubeconfig", install.KubeconfigPath("dev"));
        Assert.Equal(0, list.ExitCode);
        var releases = JsonNode.Parse(list.Stdout)!.AsArray();
        var cilium = Assert.Single(releases)!;
        Assert.Equal("cilium", cilium["name"]!.GetValue<string>());
        Assert.Equal("2", cilium["revision"]!.GetValue<string>());
        Assert.Equal("deployed", cilium["status"]!.GetValue<string>());
        Assert.Equal("cilium-1.16.5", cilium["chart"]!.GetValue<string>());
        Assert.Equal("1.16.5", cilium["app_version"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_four_clusters_can_be_provisioned_in_parallel()
    {
        await using var world = new LabWorldFactory();
        var spec = LabSpec.Load();

        // One install per cluster at the same time, as the Provisioner does within its host budget.
        await Task.WhenAll(spec.Clusters.Select(async cluster =>
        {
            var install = new OriginalLabInstall(world.Tools(), spec with { Clusters = [cluster] });
            await install.AllAsync();
        })).WaitAsync(Budget);

        foreach (var cluster in spec.Clusters)
        {
            var nodes = world.Registry.Find(cluster.Name)!.List("v1", "Node");
            Assert.Equal(cluster.Nodes.Count, nodes.Count);
            Assert.All(nodes, n => Assert.Equal("True", ReadyStatus(n)));
        }

        var addresses = world.Registry.Clusters.SelectMany(c => c.List("v1", "Node"))
            .Select(n => n["status"]!["addresses"]![0]!["address"]!.GetValue<string>()).ToList();
        Assert.Equal(10, addresses.Distinct().Count());
    }

    [Fact]
    public async Task Destroy_removes_the_cluster_with_its_vms_and_a_second_install_starts_clean()
    {
        await using var world = new LabWorldFactory();
        var spec = LabSpec.Load();
        var dev = spec with { Clusters = [spec.Clusters.Single(c => c.Name == "dev")] };
        var tools = world.Tools();
        await new OriginalLabInstall(tools, dev).AllAsync().WaitAsync(Budget);

        // destroy.sh: stop and delete every VM.
        foreach (var node in dev.Clusters[0].Nodes)
        {
            Assert.Equal(0, (await tools.Tart("stop", node.Name)).ExitCode);
            Assert.Equal(0, (await tools.Tart("delete", node.Name)).ExitCode);
        }

        Assert.Null(world.Registry.Find("dev"));
        var again = new OriginalLabInstall(tools, dev);
        await again.AllAsync().WaitAsync(Budget);
        Assert.All(world.Registry.Find("dev")!.List("v1", "Node"), n => Assert.Equal("True", ReadyStatus(n)));
    }

    [Fact]
    public async Task Without_softnet_the_workers_cannot_reach_the_master_and_join_fails_with_kubeadms_error()
    {
        await using var world = new LabWorldFactory();
        var spec = LabSpec.Load();
        var dev = spec.Clusters.Single(c => c.Name == "dev");
        var install = new OriginalLabInstall(world.Tools(), spec with { Clusters = [dev] }) { Softnet = false };

        var failure = await Assert.ThrowsAsync<InstallFailed>(() => install.UpToJoinAsync().WaitAsync(Budget));

        Assert.Equal("kubeadm join dev-worker1", failure.Step);
        Assert.Equal(1, failure.Result.ExitCode);
        Assert.StartsWith("192.168.64.", install.Addresses["dev-master"]);
        Assert.Contains(
            $"error execution phase preflight: couldn't validate the identity of the API Server: failed to request the cluster-info ConfigMap: Get \"https://{install.Addresses["dev-master"]}:6443/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s\": dial tcp {install.Addresses["dev-master"]}:6443: i/o timeout",
            failure.Result.Stderr);
        Assert.Contains("To see the stack trace of this error execute with --v=5 or higher", failure.Result.Stderr);
    }

    [Fact]
    public async Task A_1_CPU_master_fails_kubeadm_preflight_with_NumCPU()
    {
        await using var world = new LabWorldFactory();
        var spec = LabSpec.Load();
        var prod = spec.Clusters.Single(c => c.Name == "prod");
        var oneCpu = prod with { Nodes = [.. prod.Nodes.Select(n => n.Role == "master" ? n with { Cpu = 1 } : n)] };
        var install = new OriginalLabInstall(world.Tools(), spec with { Clusters = [oneCpu] });

        var failure = await Assert.ThrowsAsync<InstallFailed>(() => install.UpToJoinAsync().WaitAsync(Budget));

        Assert.Equal("kubeadm init prod-master", failure.Step);
        Assert.Equal(1, failure.Result.ExitCode);
        Assert.Equal(
            "error execution phase preflight: [preflight] Some fatal errors occurred:\n" +
            "\t[ERROR NumCPU]: the number of available CPUs 1 is less than the required 2\n" +
            "[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`\n" +
            "To see the stack trace of this error execute with --v=5 or higher\n",
            failure.Result.Stderr);
        Assert.Null(world.Registry.Find("prod"));
    }

    [Fact]
    public async Task Cilium_without_k8sServiceHost_crash_loops_and_helm_wait_times_out()
    {
        await using var world = new LabWorldFactory();
        var spec = LabSpec.Load();
        var staging = spec.Clusters.Single(c => c.Name == "staging");
        var tools = world.Tools();
        var install = new OriginalLabInstall(tools, spec with { Clusters = [staging] });
        await install.UpToJoinAsync().WaitAsync(Budget);

        var failure = await Assert.ThrowsAsync<InstallFailed>(() => install.InstallCiliumAsync(staging, withServiceHost: false).WaitAsync(Budget));

        Assert.Equal("helm cilium staging", failure.Step);
        Assert.Equal(1, failure.Result.ExitCode);
        Assert.StartsWith("Release \"cilium\" does not exist. Installing it now.", failure.Result.Stdout);
        Assert.Equal("Error: context deadline exceeded\n", failure.Result.Stderr);
        var api = world.Registry.Find("staging")!;
        Assert.All(api.List("v1", "Node"), n => Assert.Equal("False", ReadyStatus(n)));
        var agents = api.List("v1", "Pod", "kube-system").Where(p => p["metadata"]!["labels"]?["k8s-app"]?.GetValue<string>() == "cilium").ToList();
        Assert.Equal(2, agents.Count);
        Assert.All(agents, a =>
        {
            var status = a["status"]!["containerStatuses"]![0]!;
            Assert.Equal("CrashLoopBackOff", status["state"]!["waiting"]!["reason"]!.GetValue<string>());
            Assert.Contains("dial tcp 10.98.0.1:443: i/o timeout", status["lastState"]!["terminated"]!["message"]!.GetValue<string>());
        });
        var list = await tools.Helm("list", "-n", "kube-system", "-o", "json", "--kubeconfig", install.KubeconfigPath("staging"));
        Assert.Equal("failed", JsonNode.Parse(list.Stdout)![0]!["status"]!.GetValue<string>());
    }
}
