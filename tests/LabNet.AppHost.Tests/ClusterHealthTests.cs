using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LabNet.AppHost.Tests;

/// <summary>
/// What a newcomer's <c>kubectl get pods -A</c>, <c>kubectl rollout status</c> and <c>kubectl logs</c> show on every
/// cluster of the applied Default lab: healthy clusters, as kubeadm, Cilium, Istio and the demo leave them.
/// </summary>
public sealed class ClusterHealthTests(SimulationLabFixture lab)
{
    private static readonly string[] Clusters = ["platform", "dev", "staging", "prod"];
    private static readonly string[] SystemNamespaces = ["kube-system", "istio-system", "istio-ingress"];
    private static readonly TimeSpan LabApplied = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan Settled = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Every_pod_of_every_cluster_runs_ready_without_restarts_and_still_does_ten_modeled_minutes_later()
    {
        await LabAppliedAsync();

        // Charts installed without --wait finish their rollouts in the background: give them their modeled time.
        var unhealthy = await UnhealthyPodsUntilNoneAsync(Settled);
        Assert.True(unhealthy.Count == 0, "Unhealthy after the apply:\n" + string.Join('\n', unhealthy));

        // The kubelet's probes, back-off and restarts run on the twin's clock (600 times the wall clock in these tests).
        var later = await ModeledNowAsync() + TimeSpan.FromMinutes(10);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (await ModeledNowAsync() < later)
        {
            Assert.True(DateTime.UtcNow < deadline, "the twin's clock did not reach ten modeled minutes later");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        unhealthy = await UnhealthyPodsAsync();
        Assert.True(unhealthy.Count == 0, "Unhealthy ten modeled minutes later:\n" + string.Join('\n', unhealthy));
    }

    [Fact]
    public async Task Rollout_status_succeeds_for_every_deployment_and_daemonset_and_every_system_pod_has_logs()
    {
        await LabAppliedAsync();
        await UnhealthyPodsUntilNoneAsync(Settled);

        // The clusters one beside the other, as four people with a kubeconfig each would look.
        var failures = (await Task.WhenAll(Clusters.Select(RolloutAndLogFailuresAsync))).SelectMany(f => f).ToList();

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private async Task<List<string>> RolloutAndLogFailuresAsync(string cluster)
    {
        List<string> failures = [];
        var kubectl = Kubectl(cluster);
        var workloads = JsonNode.Parse(await kubectl.OutputAsync("get", "deployments,daemonsets", "-A", "-o", "json"))!["items"]!.AsArray();
        foreach (var workload in workloads.OfType<JsonObject>())
        {
            var (ns, name, kind) = ((string)workload["metadata"]!["namespace"]!, (string)workload["metadata"]!["name"]!, ((string)workload["kind"]!).ToLowerInvariant());
            var status = await kubectl.RunAsync("rollout", "status", $"{kind}/{name}", "-n", ns, "--timeout=30s");
            if (status.ExitCode != 0)
            {
                failures.Add($"{cluster}: kubectl rollout status {kind}/{name} -n {ns}: {status.Stderr.Trim()}");
            }
        }

        foreach (var ns in SystemNamespaces)
        {
            var pods = JsonNode.Parse(await kubectl.OutputAsync("get", "pods", "-n", ns, "-o", "json"))!["items"]!.AsArray();
            foreach (var name in pods.Select(p => (string)p!["metadata"]!["name"]!))
            {
                var logs = await kubectl.RunAsync("logs", name, "-n", ns, "--all-containers=true", "--tail=5");
                if (logs.ExitCode != 0 || logs.Stdout.Length == 0)
                {
                    failures.Add($"{cluster}: kubectl logs {name} -n {ns} printed nothing (exit {logs.ExitCode}: {logs.Stderr.Trim()})");
                }
            }
        }

        return failures;
    }

    private async Task LabAppliedAsync()
    {
        using var cts = new CancellationTokenSource(LabApplied);
        var applied = await lab.App.ResourceNotifications
            .WaitForResourceAsync("lab", e => LabFixture.Property(e, "lab.last") is "succeeded" or "failed", cts.Token)
            .WaitAsync(LabApplied, cts.Token);
        Assert.Equal("succeeded", LabFixture.Property(applied, "lab.last"));
    }

    private Kubectl Kubectl(string cluster) => new(Path.Combine(lab.KubeconfigDirectory, $"{cluster}.yaml")) { Timeout = TimeSpan.FromSeconds(60) };

    private async Task<List<string>> UnhealthyPodsUntilNoneAsync(TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var unhealthy = await UnhealthyPodsAsync();
            if (unhealthy.Count == 0 || DateTime.UtcNow > deadline)
            {
                return unhealthy;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Every pod that is not Running with all containers ready and never restarted (Succeeded ones are done, not unhealthy).</summary>
    private async Task<List<string>> UnhealthyPodsAsync()
    {
        List<string> unhealthy = [];
        foreach (var cluster in Clusters)
        {
            var pods = JsonNode.Parse(await Kubectl(cluster).OutputAsync("get", "pods", "-A", "-o", "json"))!["items"]!.AsArray();
            foreach (var pod in pods.OfType<JsonObject>())
            {
                var phase = (string?)pod["status"]?["phase"];
                var statuses = (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().ToList();
                var healthy = phase == "Succeeded"
                    || (phase == "Running" && statuses.Count > 0 && statuses.All(s => (bool?)s["ready"] == true && (int?)s["restartCount"] == 0));
                if (!healthy)
                {
                    var states = string.Join(", ", statuses.Select(s => $"{s["name"]}: ready={s["ready"]} restarts={s["restartCount"]} {s["state"]?.ToJsonString()}"));
                    unhealthy.Add($"{cluster} {pod["metadata"]!["namespace"]}/{pod["metadata"]!["name"]}: {phase} [{states}]");
                }
            }
        }

        return unhealthy;
    }

    private async Task<DateTimeOffset> ModeledNowAsync()
    {
        using var client = lab.App.CreateHttpClient("simulator");
        var clock = await client.GetFromJsonAsync<JsonObject>("/clock").WaitAsync(TimeSpan.FromSeconds(30));
        return DateTimeOffset.Parse((string)clock!["now"]!, System.Globalization.CultureInfo.InvariantCulture);
    }
}
