using System.Text.RegularExpressions;

namespace LabNet.Simulator.Tests.Kubernetes;

/// <summary>DaemonSets (how Cilium's agent is deployed) put one pod on every node their tolerations allow.</summary>
[Collection(SimulatorServerCollection.Name)]
public sealed class DaemonSetTests(SimulatorServer server)
{
    private const string AgentDaemonSet = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: agent
          namespace: kube-system
        spec:
          selector:
            matchLabels:
              k8s-app: agent
          template:
            metadata:
              labels:
                k8s-app: agent
            spec:
              hostNetwork: true
              tolerations:
              - operator: Exists
              containers:
              - name: agent
                image: quay.io/cilium/cilium:v1.16.5
        """;

    [Fact]
    public async Task A_host_network_daemonset_runs_on_every_node_even_before_the_nodes_are_Ready()
    {
        var cluster = server.CreateCluster(withPodNetwork: false, nodesReady: false);
        cluster.Kubectl.WriteFile("agent.yaml", AgentDaemonSet);

        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "agent.yaml")).ExitCode);

        var ds = await Eventually.WaitForAsync(
            () => cluster.Kubectl.RunAsync("get", "ds", "agent", "-n", "kube-system"),
            r => Regex.IsMatch(r.Stdout, @"agent\s+3\s+3\s+3\s+3\s+3\s"));
        Assert.Matches(@"^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE", ds.Stdout);
        Assert.Matches(@"agent\s+3\s+3\s+3\s+3\s+3\s+<none>\s+\d+s", ds.Stdout);
        var pods = await cluster.Kubectl.RunAsync("get", "pods", "-n", "kube-system", "-o", "wide");
        Assert.Matches(@"agent-[a-z0-9]{5}\s+1/1\s+Running\s+0\s+\d+s\s+192\.168\.65\.10\s+c\d+-master", pods.Stdout);
        Assert.Equal(3, Regex.Matches(pods.Stdout, @"agent-[a-z0-9]{5}\s+1/1\s+Running").Count);
    }

    [Fact]
    public async Task Deleting_a_node_removes_its_pods_and_deployments_replace_them_elsewhere()
    {
        var cluster = server.CreateCluster();
        cluster.Kubectl.CopyManifests();
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "demo/00-namespace.yaml", "-f", "demo/20-nginx.yaml")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/nginx-web", "-n", "demo", "--timeout=20s")).ExitCode);
        var worker = $"{cluster.Api.Bootstrap.Name}-worker1";

        Assert.Equal(0, (await cluster.Kubectl.RunAsync("delete", "node", worker)).ExitCode);

        var nodes = await Eventually.WaitForAsync(
            () => cluster.Kubectl.RunAsync("get", "pods", "-n", "demo", "-o", "jsonpath={.items[*].spec.nodeName}"),
            r => r.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 3 && !r.Stdout.Contains(worker, StringComparison.Ordinal));
        Assert.Equal(3, nodes.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain(worker, nodes.Stdout);
    }

    [Fact]
    public async Task A_daemonset_gets_the_api_servers_rolling_update_defaults_so_rollout_status_and_restart_work()
    {
        var cluster = server.CreateCluster();
        cluster.Kubectl.WriteFile("agent.yaml", AgentDaemonSet);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "agent.yaml")).ExitCode);

        var strategy = await cluster.Kubectl.RunAsync("get", "ds", "agent", "-n", "kube-system", "-o",
            "jsonpath={.spec.updateStrategy.type} {.spec.updateStrategy.rollingUpdate.maxUnavailable} {.spec.updateStrategy.rollingUpdate.maxSurge} {.spec.revisionHistoryLimit}");
        var status = await cluster.Kubectl.RunAsync("rollout", "status", "ds/agent", "-n", "kube-system", "--timeout=20s");
        var restart = await cluster.Kubectl.RunAsync("rollout", "restart", "ds/agent", "-n", "kube-system");
        var afterRestart = await cluster.Kubectl.RunAsync("rollout", "status", "ds/agent", "-n", "kube-system", "--timeout=20s");

        Assert.Equal("RollingUpdate 1 0 10", strategy.Stdout);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("daemon set \"agent\" successfully rolled out", status.Stdout);
        Assert.Equal("daemonset.apps/agent restarted", restart.Stdout.Trim());
        Assert.True(afterRestart.ExitCode == 0, afterRestart.ToString());
        Assert.Contains("daemon set \"agent\" successfully rolled out", afterRestart.Stdout);
    }
}
