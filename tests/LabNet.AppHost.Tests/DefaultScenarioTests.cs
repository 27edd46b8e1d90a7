using System.Text.Json.Nodes;

namespace LabNet.AppHost.Tests;

public sealed class DefaultScenarioTests(SimulationLabFixture lab)
{
    private static readonly TimeSpan LabApplied = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task The_default_scenario_provisions_every_cluster_and_the_lab_resource_shows_it()
    {
        using var cts = new CancellationTokenSource(LabApplied);

        var applied = await lab.App.ResourceNotifications
            .WaitForResourceAsync("lab", e => Property(e, "lab.last") is "succeeded" or "failed", cts.Token)
            .WaitAsync(LabApplied, cts.Token);

        Assert.Equal(KnownResourceStates.Running, applied.Snapshot.State?.Text);
        Assert.Equal("succeeded", Property(applied, "lab.last"));
        foreach (var cluster in new[] { "platform", "dev", "staging", "prod" })
        {
            Assert.StartsWith("Succeeded", Property(applied, $"lab.cluster.{cluster}"));
            Assert.True(File.Exists(Path.Combine(lab.KubeconfigDirectory, $"{cluster}.yaml")), $"no kubeconfig for {cluster}");
        }
    }

    [Fact]
    public async Task The_flowcollector_follows_every_clusters_relay_through_the_kubeconfig_the_provisioner_wrote_and_every_cluster_has_flows()
    {
        using var cts = new CancellationTokenSource(LabApplied);
        await lab.App.ResourceNotifications
            .WaitForResourceAsync("lab", e => Property(e, "lab.last") is "succeeded" or "failed", cts.Token)
            .WaitAsync(LabApplied, cts.Token);

        // No relay address is configured: each cluster's relay is reached through its Kubernetes API's port-forward.
        string[] clusters = ["dev", "platform", "prod", "staging"];
        using var following = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        JsonArray relays = [];
        while (!following.IsCancellationRequested)
        {
            relays = (await lab.App.SourcesAsync(following.Token))["relays"]!.AsArray();
            // Only dev runs the demo, but every cluster carries its own background traffic (probes, DNS, cilium-health).
            if (relays.Count == clusters.Length && relays.All(r => r!["connected"]!.GetValue<bool>()) && clusters.All(c => Flows(relays, c) > 0))
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None);
        }

        Assert.Equal(clusters, relays.Select(r => r!["cluster"]!.GetValue<string>()));
        Assert.All(relays, r =>
        {
            Assert.True(r!["connected"]!.GetValue<bool>(), r.ToJsonString());
            Assert.StartsWith("port-forward kube-system/svc/hubble-relay:80", r["address"]!.GetValue<string>(), StringComparison.Ordinal);
        });
        Assert.All(clusters, c => Assert.True(Flows(relays, c) > 0, $"no flows from {c}'s relay: {relays.ToJsonString()}"));

        static long Flows(JsonArray relays, string cluster) =>
            relays.Single(r => r!["cluster"]!.GetValue<string>() == cluster)!["flows"]!.GetValue<long>();
    }

    [Fact]
    public async Task The_default_scenario_promotes_the_httpbin_canary_by_itself()
    {
        using var cts = new CancellationTokenSource(LabFixture.CanaryConcludes + TimeSpan.FromMinutes(1));

        var concluded = await lab.CanaryConcluded.WaitAsync(LabFixture.CanaryConcludes + TimeSpan.FromMinutes(1), cts.Token);

        Assert.True(concluded is not null,
            $"the canary did not finish its rollout within {LabFixture.CanaryConcludes}; its last decision: " +
            (lab.App.ResourceNotifications.TryGetCurrentState(LabFixture.Canary, out var now) ? Property(now, "canary.decision") : "none"));
        Assert.True(Property(concluded, "canary.phase") == "Promoted",
            $"the canary ended {Property(concluded, "canary.phase")}: {Property(concluded, "canary.decision")} (errors: {Property(concluded, "canary.errors")}; latency: {Property(concluded, "canary.latency")})");
        Assert.StartsWith("canary 100%", Property(concluded, "canary.weight"));
        Assert.StartsWith("Promote (Promoted)", Property(concluded, "canary.decision"));

        // What the dashboard charts: HTTP requests per httpbin version from Hubble, the canary's weight and decisions.
        var hubble = await lab.App.MetricsAsync("flowcollector", cts.Token);
        foreach (var version in new[] { "v1", "v2" })
        {
            Assert.Contains(hubble, l => l.StartsWith("hubble_http_requests_total{", StringComparison.Ordinal)
                && l.Contains("destination_workload=\"httpbin", StringComparison.Ordinal) && l.Contains($"destination_version=\"{version}\"", StringComparison.Ordinal));
        }

        Assert.Contains(hubble, l => l.StartsWith("hubble_drop_total{", StringComparison.Ordinal) && l.Contains("reason=\"POLICY_DENIED\"", StringComparison.Ordinal));
        var canary = await lab.App.MetricsAsync("canarycontroller", cts.Token);
        // The weight now: other tests of this lab may already have restarted the analysis since the promotion above.
        Assert.Contains(canary, l => l.StartsWith("labnet_canary_weight", StringComparison.Ordinal) && l.Contains("httpbin", StringComparison.Ordinal) && LabApis.SampleValue(l) is >= 0 and <= 100);
        Assert.Contains(canary, l => l.StartsWith("labnet_canary_decisions_total{", StringComparison.Ordinal) && l.Contains("Promote", StringComparison.Ordinal));
    }

    private static string? Property(ResourceEvent resourceEvent, string name) => LabFixture.Property(resourceEvent, name);
}
