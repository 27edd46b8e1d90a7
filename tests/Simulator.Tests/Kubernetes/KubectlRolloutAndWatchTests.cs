using System.Text.RegularExpressions;

namespace LabNet.Simulator.Tests.Kubernetes;

/// <summary>The long-running kubectl commands: watches and rollouts, which depend on watch streams and the controllers.</summary>
[Collection(SimulatorServerCollection.Name)]
public sealed class KubectlRolloutAndWatchTests(SimulatorServer server)
{
    [Fact]
    public async Task Rollout_restart_replaces_every_pod_and_rollout_status_completes()
    {
        var cluster = server.CreateCluster();
        cluster.Kubectl.CopyManifests();
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "demo/")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/nginx-web", "-n", "demo", "--timeout=20s")).ExitCode);
        var before = await PodNamesAsync(cluster);

        var restart = await cluster.Kubectl.RunAsync("rollout", "restart", "deployment", "-n", "demo");
        var status = await cluster.Kubectl.RunAsync("rollout", "status", "deployment/nginx-web", "-n", "demo", "--timeout=20s");

        Assert.Equal("""
            deployment.apps/httpbin-v1 restarted
            deployment.apps/httpbin-v2 restarted
            deployment.apps/nginx-web restarted
            """, restart.Stdout.Trim());
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.EndsWith("deployment \"nginx-web\" successfully rolled out", status.Stdout.Trim());
        var after = await Eventually.WaitForAsync(() => PodNamesAsync(cluster), names => names.Count == 6 && !names.Overlaps(before));
        Assert.Equal(6, after.Count);
        Assert.False(after.Overlaps(before), $"before: {string.Join(' ', before)}; after: {string.Join(' ', after)}");
        var revision = await cluster.Kubectl.RunAsync("get", "deployment", "nginx-web", "-n", "demo", "-o",
            "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision} {.spec.template.metadata.annotations}");
        Assert.Matches(@"^2 \{""kubectl\.kubernetes\.io/restartedAt"":""\d{4}-\d\d-\d\dT", revision.Stdout);
    }

    [Fact]
    public async Task A_rolling_update_whose_new_pods_never_become_available_stops_at_max_surge_and_keeps_the_old_pods()
    {
        var cluster = server.CreateCluster(withPodNetwork: false);
        cluster.Kubectl.CopyManifests();
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "demo/00-namespace.yaml", "-f", "demo/20-nginx.yaml")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("rollout", "restart", "deployment/nginx-web", "-n", "demo")).ExitCode);

        var status = await cluster.Kubectl.RunAsync("rollout", "status", "deployment/nginx-web", "-n", "demo", "--timeout=3s");
        var replicaSets = await cluster.Kubectl.RunAsync("get", "rs", "-n", "demo", "-o", "jsonpath={range .items[*]}{.spec.replicas} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}{\"\\n\"}{end}");

        Assert.Equal(1, status.ExitCode);
        Assert.Contains("Waiting for deployment \"nginx-web\" rollout to finish: 1 out of 3 new replicas have been updated...", status.Stdout);
        Assert.Equal("error: timed out waiting for the condition", status.Stderr.Trim());
        Assert.Equal(["1 2", "3 1"], replicaSets.Stdout.Trim().Split('\n').Order());
    }

    [Fact]
    public async Task A_recreate_deployment_removes_every_old_pod_before_starting_new_ones()
    {
        var cluster = server.CreateCluster();
        cluster.Kubectl.CopyManifests();
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "demo/00-namespace.yaml", "-f", "demo/20-nginx.yaml")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("patch", "deployment", "nginx-web", "-n", "demo", "--type", "merge",
            "-p", """{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}""")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/nginx-web", "-n", "demo", "--timeout=20s")).ExitCode);

        Assert.Equal(0, (await cluster.Kubectl.RunAsync("set", "image", "deployment/nginx-web", "-n", "demo", "nginx=nginx:1.27-alpine")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/nginx-web", "-n", "demo", "--timeout=20s")).ExitCode);

        var events = await cluster.Kubectl.RunAsync("get", "events", "-n", "demo", "--field-selector", "involvedObject.kind=Deployment", "-o",
            "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}");
        var scaling = events.Stdout.Trim().Split('\n');
        var scaledDown = Array.FindIndex(scaling, m => m.StartsWith("Scaled down", StringComparison.Ordinal));
        var secondScaleUp = Array.FindLastIndex(scaling, m => m.StartsWith("Scaled up", StringComparison.Ordinal));
        Assert.Equal(3, scaling.Length);
        Assert.Matches("^Scaled down replica set nginx-web-[a-z0-9]+ from 3 to 0$", scaling[scaledDown]);
        Assert.True(scaledDown < secondScaleUp, events.Stdout);
        Assert.Matches("^Scaled up replica set nginx-web-[a-z0-9]+ from 0 to 3$", scaling[secondScaleUp]);
    }

    [Fact]
    public async Task Get_pods_watch_prints_each_change_as_it_happens()
    {
        var cluster = server.CreateCluster();
        cluster.Kubectl.CopyManifests();
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "demo/00-namespace.yaml", "-f", "demo/10-httpbin.yaml")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/httpbin-v1", "-n", "demo", "--timeout=20s")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/httpbin-v2", "-n", "demo", "--timeout=20s")).ExitCode);
        using var watch = cluster.Kubectl.Start("get", "pods", "-n", "demo", "-w");
        try
        {
            // The list first (the watch that follows starts from its resourceVersion, so it misses nothing after it).
            Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$", await ReadLineAsync(watch));
            for (var i = 0; i < 3; i++)
            {
                Assert.Matches(@"^httpbin-v[12]-[a-z0-9]+-[a-z0-9]{5}\s+1/1\s+Running\s+0\s+\d+s$", await ReadLineAsync(watch));
            }

            Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "demo/20-nginx.yaml")).ExitCode);

            var seen = new List<string>();
            while (seen.Count(l => Regex.IsMatch(l, @"1/1\s+Running")) < 3)
            {
                seen.Add(await ReadLineAsync(watch));
            }

            Assert.All(seen, line => Assert.Matches(@"^nginx-web-[a-z0-9]+-[a-z0-9]{5}\s+[01]/1\s+(Pending|ContainerCreating|Running)\s+0\s+\d+s$", line));
            Assert.Contains(seen, line => line.Contains("Pending", StringComparison.Ordinal));
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
        }
    }

    private static async Task<string> ReadLineAsync(System.Diagnostics.Process process) =>
        await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)) ?? throw new EndOfStreamException("kubectl closed its output");

    private static async Task<HashSet<string>> PodNamesAsync(TestCluster cluster)
    {
        var result = await cluster.Kubectl.RunAsync("get", "pods", "-n", "demo", "-o", "jsonpath={.items[*].metadata.name}");
        return [.. result.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
    }
}
