using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabNet.FlowCollector.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LabNet.FlowCollector.Tests.Simulator;

/// <summary>The collector against the simulator's dev cluster, reaching its relay as on a real lab: through the port-forward.</summary>
[Collection(ProcessWideMetricsCollection.Name)]
public sealed class CollectorAgainstSimulatorTests(SimulatedDevCluster dev, ITestOutputHelper output) : IClassFixture<SimulatedDevCluster>
{
    private static readonly TimeSpan Patience = SimulatedDevCluster.Patience;

    [Fact]
    public async Task After_the_relay_is_killed_and_restarted_the_collector_reconnects_and_counts_every_buffered_flow_once()
    {
        await dev.SetAllTrafficAsync(0);
        var started = DateTimeOffset.UtcNow;
        // Slow enough that the whole window fits in the agents' rings (4,095 flows each), or the comparison has no truth.
        await dev.SetTrafficAsync(rates => rates["nginx-to-httpbin"] = 5);
        await using var collector = Collector();
        using var client = collector.CreateClient();

        await WaitUntil(async () => (await Source(client)).GetProperty("flows").GetInt64() > 0, "the collector counts flows from the relay");
        // The comparison starts a moment after the collector's first flow (it follows new flows only, like hubble observe
        // -f) and after this test began: flows of an earlier test may have left the agents' rings already.
        var firstSeen = FlowTime(JsonNode.Parse((await FlowsAsync(client)).First())!);
        var from = (firstSeen > started ? firstSeen : started) + TimeSpan.FromSeconds(1);
        await WaitUntil(async () => (await dev.RelayFlowsAsync()).Any(f => FlowTime(f) > from + TimeSpan.FromSeconds(1)), "flows after the start of the comparison");

        await dev.PostAsync("/faults/relay-kill?cluster=dev");
        var killedAt = DateTimeOffset.UtcNow;
        await WaitUntil(async () => !(await Source(client)).GetProperty("connected").GetBoolean(), "the collector sees the relay go away");
        // The agents keep recording while the relay is down: these flows are only in their buffers.
        await WaitUntil(async () => (await dev.RelayFlowsAsync()).Count(f => FlowTime(f) > killedAt) >= 100, "flows recorded while the relay is down");
        await dev.PostAsync("/faults/relay-start?cluster=dev");
        await WaitUntil(async () => (await Source(client)).GetProperty("connected").GetBoolean(), "the collector reconnects by itself");
        // Measured from the moment of reconnection, not from "now" at each poll: reading every agent's ring takes longer
        // than a flow's spacing on a loaded machine, so "a flow younger than 200 ms" could stay false forever.
        var reconnectedAt = DateTimeOffset.UtcNow;
        await WaitUntil(async () => (await dev.RelayFlowsAsync()).Any(f => FlowTime(f) > reconnectedAt), "flows after the restart");
        await dev.SetAllTrafficAsync(0);

        // The cluster's own traffic (probes, DNS, cilium-health) goes on: compare a closed window, once every flow of it is
        // in the agents' rings (a later flow is there; each step of the twin's traffic publishes what came due before it).
        var until = DateTimeOffset.UtcNow;
        await WaitUntil(async () => (await dev.RelayFlowsAsync()).Any(f => FlowTime(f) > until + TimeSpan.FromSeconds(1)), "flows after the window");
        var relayed = (await dev.RelayFlowsAsync()).Where(f => FlowTime(f) >= from && FlowTime(f) <= until).Select(Uuid).ToList();
        List<string> collected = [];
        await WaitUntil(async () =>
        {
            collected = [.. (await FlowsAsync(client)).Select(line => JsonNode.Parse(line)!).Where(f => FlowTime(f) >= from && FlowTime(f) <= until).Select(Uuid)];
            return collected.Count >= relayed.Count;
        }, "the collector has every flow the agents buffered");

        var status = await Source(client);
        output.WriteLine($"flows in the window: relay {relayed.Count}, collector {collected.Count}; disconnects {status.GetProperty("disconnects")}, " +
            $"duplicates dropped at the seam {status.GetProperty("duplicatesDropped")}, lost {status.GetProperty("lostEvents")}");
        Assert.True(relayed.Count < 4_095, $"{relayed.Count} flows in the window: more than the agents' rings hold, so the relay no longer has them all");
        Assert.Equal(relayed.Count, relayed.Distinct().Count());
        Assert.Equal(collected.Count, collected.Distinct().Count());
        Assert.Equal(relayed.Order(StringComparer.Ordinal), collected.Order(StringComparer.Ordinal));
        Assert.True(status.GetProperty("disconnects").GetInt64() >= 1);
    }

    [Fact]
    public async Task The_drop_of_a_post_from_nginx_to_httpbin_is_in_the_drop_metric_and_the_flow_query_within_two_seconds()
    {
        await dev.SetAllTrafficAsync(0);
        await dev.SetTrafficAsync(rates => rates["nginx-to-httpbin"] = 5);
        await using var collector = Collector();
        using var client = collector.CreateClient();
        await WaitUntil(async () => (await Source(client)).GetProperty("flows").GetInt64() > 0, "the collector counts flows from the relay");

        await dev.SetTrafficAsync(rates => rates["nginx-post-to-httpbin"] = 5);
        JsonNode? drop = null;
        DateTimeOffset inQuery = default;
        await WaitUntil(async () =>
        {
            var lines = await QueryAsync(client, "/api/flows?verdict=DROPPED&http-method=POST&from-pod=demo/nginx-web&last=1");
            inQuery = DateTimeOffset.UtcNow;
            drop = lines.Select(l => JsonNode.Parse(l)!).FirstOrDefault();
            return drop is not null;
        }, "a dropped POST in the flow query");
        var requestedAt = FlowTime(drop!);
        string? series = null;
        DateTimeOffset inMetric = default;
        await WaitUntil(async () =>
        {
            series = (await client.GetStringAsync("/metrics").WaitAsync(Patience)).Split('\n').FirstOrDefault(l =>
                l.StartsWith("hubble_drop_total{", StringComparison.Ordinal)
                && l.Contains("cluster=\"dev\"", StringComparison.Ordinal)
                && l.Contains("source_workload=\"nginx-web\"", StringComparison.Ordinal)
                && l.Contains("destination_workload=\"httpbin\"", StringComparison.Ordinal));
            inMetric = DateTimeOffset.UtcNow;
            return series is not null;
        }, "the drop in hubble_drop_total");

        output.WriteLine($"request at {requestedAt:O}: in the flow query after {(inQuery - requestedAt).TotalMilliseconds:0} ms, in the metric after {(inMetric - requestedAt).TotalMilliseconds:0} ms");
        output.WriteLine(drop!.ToJsonString());
        output.WriteLine(series!);
        Assert.Equal("DROPPED", drop!["flow"]!["verdict"]!.GetValue<string>());
        Assert.Equal("POST", drop["flow"]!["l7"]!["http"]!["method"]!.GetValue<string>());
        Assert.InRange(inQuery - requestedAt, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Assert.InRange(inMetric - requestedAt, TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Httpbin_v1_and_v2_shares_in_the_traffic_summary_match_the_virtual_service_weights()
    {
        await dev.SetAllTrafficAsync(0);
        await dev.SetCanaryHeaderShareAsync(0);
        await using var collector = Collector();
        using var client = collector.CreateClient();
        await WaitUntil(async () => (await Source(client)).GetProperty("connected").GetBoolean(), "the collector connects to the relay");

        // manifests/istio/30-virtual-service.yaml routes 80 % to v1 and 20 % to v2. 5,000 requests make 3 points more
        // than 5 standard deviations of the binomial share (0.57 points), so a correct split never fails this.
        await dev.SetTrafficAsync(rates => rates["nginx-to-httpbin"] = 500);
        JsonElement summary = default;
        await WaitUntil(async () =>
        {
            using var json = JsonDocument.Parse(await client.GetStringAsync("/api/traffic/summary?namespace=demo&service=httpbin&window=5m").WaitAsync(Patience));
            summary = json.RootElement.Clone();
            return summary.GetProperty("total").GetProperty("requests").GetInt64() >= 5_000;
        }, "5,000 requests to httpbin in the summary");
        await dev.SetAllTrafficAsync(0);

        var versions = summary.GetProperty("versions").EnumerateArray().ToDictionary(v => v.GetProperty("version").GetString()!, v => v.GetProperty("requests").GetInt64());
        var total = versions["v1"] + versions["v2"];
        var v2Share = 100.0 * versions["v2"] / total;
        output.WriteLine($"v1 {versions["v1"]}, v2 {versions["v2"]}: v2 share {v2Share:0.00} % at weight 20 (reporter {summary.GetProperty("reporter")})");
        Assert.Equal(total, summary.GetProperty("total").GetProperty("requests").GetInt64());
        Assert.InRange(v2Share, 17.0, 23.0);
    }

    [Fact]
    public async Task A_cluster_is_followed_through_its_port_forward_from_when_its_kubeconfig_appears_until_it_is_removed()
    {
        await dev.SetAllTrafficAsync(0);
        await dev.SetTrafficAsync(rates => rates["nginx-to-httpbin"] = 5);
        var kubeconfigs = Directory.CreateTempSubdirectory("labnet-collector-kubeconfigs-").FullName;
        try
        {
            await using var collector = Collector(kubeconfigs);
            using var client = collector.CreateClient();
            Assert.Equal(0, (await SourcesAsync(client)).GetArrayLength());

            // The Provisioner writes the kubeconfig once the cluster is up: only then is there a relay to follow.
            File.Copy(Path.Combine(dev.KubeconfigDirectory, "dev.yaml"), Path.Combine(kubeconfigs, "dev.yaml"));
            await WaitUntil(async () => (await SourcesAsync(client)).GetArrayLength() == 1 && (await Source(client)).GetProperty("flows").GetInt64() > 0, "flows of dev arrive through the port-forward");
            var source = await Source(client);
            Assert.Equal("dev", source.GetProperty("cluster").GetString());
            Assert.StartsWith("port-forward kube-system/svc/hubble-relay:80", source.GetProperty("address").GetString(), StringComparison.Ordinal);

            File.Delete(Path.Combine(kubeconfigs, "dev.yaml"));
            await WaitUntil(async () => (await SourcesAsync(client)).GetArrayLength() == 0, "the destroyed cluster is no longer followed");
        }
        finally
        {
            Directory.Delete(kubeconfigs, recursive: true);
        }
    }

    // The product's path: the cluster's kubeconfig, and the Kubernetes API's port-forward to svc/hubble-relay.
    private WebApplicationFactory<Program> Collector(string? kubeconfigDirectory = null) => new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
    {
        web.UseSetting("FlowCollector:KubeconfigDirectory", kubeconfigDirectory ?? DevOnlyKubeconfigs());
        web.UseSetting("FlowCollector:KubeconfigScanInterval", "00:00:00.100");
        web.UseSetting("FlowCollector:InitialReconnectDelay", "00:00:00.100");
        web.UseSetting("FlowCollector:MaxReconnectDelay", "00:00:00.500");
    });

    // The install's folder also holds its values files: the collector gets a folder with the kubeconfig alone, as the Provisioner's.
    private string DevOnlyKubeconfigs()
    {
        var directory = Path.Combine(dev.KubeconfigDirectory, "kubeconfigs");
        Directory.CreateDirectory(directory);
        File.Copy(Path.Combine(dev.KubeconfigDirectory, "dev.yaml"), Path.Combine(directory, "dev.yaml"), overwrite: true);
        return directory;
    }

    private static async Task<JsonElement> SourcesAsync(HttpClient client)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/sources").WaitAsync(Patience));
        return json.RootElement.GetProperty("relays").Clone();
    }

    /// <summary>The one relay's status; until the collector has found it in the kubeconfig, a relay not connected with no flows.</summary>
    private static async Task<JsonElement> Source(HttpClient client)
    {
        var relays = await SourcesAsync(client);
        if (relays.GetArrayLength() > 0)
        {
            return relays[0];
        }

        using var none = JsonDocument.Parse("{\"flows\":0,\"connected\":false}");
        return none.RootElement.Clone();
    }

    private static Task<IReadOnlyList<string>> FlowsAsync(HttpClient client) => QueryAsync(client, "/api/flows?last=20000");

    private static async Task<IReadOnlyList<string>> QueryAsync(HttpClient client, string path) =>
        (await client.GetStringAsync(path).WaitAsync(Patience)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static DateTimeOffset FlowTime(JsonNode line) =>
        DateTimeOffset.Parse((line["flow"]?["time"] ?? line["time"])!.GetValue<string>(), CultureInfo.InvariantCulture);

    private static string Uuid(JsonNode line) => line["flow"]!["uuid"]!.GetValue<string>();

    private static async Task WaitUntil(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(50);
        }
    }
}
