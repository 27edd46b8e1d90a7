using System.Text.Json.Nodes;
using k8s;
using LabNet.Canary;
using LabNet.CanaryController.Controller;
using LabNet.CanaryController.Kubernetes;
using Microsoft.Extensions.Logging.Testing;

namespace LabNet.CanaryController.Tests.Kubernetes;

/// <summary>
/// A controller upgraded over a Canary whose status an older controller wrote, with latency histograms in the older
/// explicit-bounds shape (milliseconds bounds, counts, total): as after a real upgrade, the older CRD took that status,
/// then the new CRD was applied.
/// </summary>
[Collection(SimulatorApiServerCollection.Name)]
public sealed class OutdatedStatusTests(SimulatorApiServer server)
{
    [Fact]
    public async Task A_running_analysis_in_the_old_shape_starts_again_with_a_logged_reason()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        bed.ApplyCanary();
        await bed.TickAsync();
        await bed.UntilProgressingAsync();

        Assert.Equal((80, 20), bed.Weights());
        await WriteOldShapeStatusAsync(bed);
        var logger = new FakeLogger<CanaryReconciler>();
        bed.NewReconciler(logger);

        await bed.TickAsync();

        var status = bed.Status;
        Assert.Equal(CanaryPhase.HeaderProbe, status.Phase);
        Assert.Equal(0, status.Counters.CanaryRequests);
        Assert.Null(status.StepCanaryLatency);
        Assert.Equal((100, 0), bed.Weights());
        var restarted = Assert.Single(bed.Events, e => e["reason"]!.GetValue<string>() == DecisionReasons.StatusOutdated);
        Assert.Contains("status.stepCanaryLatency and status.stableLatencyReference are latency histograms in the older explicit-bounds shape", restarted["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("the analysis restarts from Initializing", restarted["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Message.Contains("(Progressing)", StringComparison.Ordinal) && r.Message.Contains("written by an older controller", StringComparison.Ordinal));

        // From then on status is in the current shape: the next tick has nothing to restart.
        bed.Traffic(seconds: 5, requestsPerSecond: 50);
        await bed.TickAsync();
        Assert.Single(bed.Events, e => e["reason"]!.GetValue<string>() == DecisionReasons.StatusOutdated);
        Assert.NotNull(bed.Canary["status"]!["stableLatencyReference"]!["offset"]);
    }

    [Fact]
    public async Task A_finished_rollout_in_the_old_shape_only_drops_its_histograms()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        bed.ApplyCanary();
        await bed.TickAsync();
        bed.Traffic(seconds: 5, requestsPerSecond: 50);
        await bed.TickAsync();
        await bed.CommandAsync("promote@1");
        await bed.TickAsync();
        Assert.Equal(CanaryPhase.Promoted, bed.Status.Phase);

        await WriteOldShapeStatusAsync(bed);
        await bed.TickAsync();

        var status = bed.Status;
        Assert.Equal(CanaryPhase.Promoted, status.Phase);
        Assert.Null(status.StepCanaryLatency);
        Assert.Null(status.StableLatencyReference);
        Assert.Equal((0, 100), bed.Weights());
        Assert.Contains(bed.Events, e => e["reason"]!.GetValue<string>() == DecisionReasons.StatusOutdated
            && e["message"]!.GetValue<string>().Contains("only the histograms were dropped", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"upperBoundsMs": [10, 100], "counts": [5, 4, 1], "total": 10}""")]
    [InlineData("""{"counts": [5, 4, 1]}""")] // what an API server that prunes unknown fields returns of it under the new schema
    public void Both_forms_of_the_old_histogram_are_recognised_and_left_out(string oldHistogram)
    {
        var wire = new JsonObject
        {
            ["apiVersion"] = "labnet.io/v1alpha1",
            ["kind"] = "Canary",
            ["metadata"] = new JsonObject { ["name"] = "httpbin", ["namespace"] = "demo" },
            ["status"] = new JsonObject { ["phase"] = "Progressing", ["canaryWeight"] = 20, ["stepCanaryLatency"] = JsonNode.Parse(oldHistogram) },
        };

        var canary = CanaryResource.FromWire(wire);

        Assert.Null(canary.StatusError);
        Assert.Equal("status.stepCanaryLatency is a latency histogram in the older explicit-bounds shape", canary.StatusOutdated);
        Assert.Equal((CanaryPhase.Progressing, 20), (canary.Status.Phase, canary.Status.CanaryWeight));
        Assert.Null(canary.Status.StepCanaryLatency);
    }

    /// <summary>The older CRD (histograms with explicit bounds), a status written under it, then today's CRD again.</summary>
    private static async Task WriteOldShapeStatusAsync(CanaryTestBed bed)
    {
        var crd = SimulatorApiServer.Load("Manifests/canary-crd.yaml");
        var statusSchema = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["status"]!["properties"]!.AsObject();
        var current = statusSchema.DeepClone();
        foreach (var field in new[] { "stepCanaryLatency", "stableLatencyReference" })
        {
            statusSchema[field] = JsonNode.Parse("""
                {"type": "object", "nullable": true, "properties": {
                  "upperBoundsMs": {"type": "array", "items": {"type": "number"}},
                  "counts": {"type": "array", "items": {"type": "integer", "format": "int64"}},
                  "total": {"type": "integer", "format": "int64"}}}
                """);
        }

        bed.Api.Apply(crd);
        var canary = bed.Canary;
        var oldHistogram = JsonNode.Parse("""{"upperBoundsMs": [10, 25, 50, 100], "counts": [120, 60, 15, 4, 1], "total": 200}""")!;
        canary["status"]!["stepCanaryLatency"] = oldHistogram.DeepClone();
        canary["status"]!["stableLatencyReference"] = oldHistogram.DeepClone();
        await bed.Client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(canary, "labnet.io", "v1alpha1", CanaryTestBed.Namespace, "canaries", CanaryTestBed.CanaryName);
        Assert.NotNull(bed.Canary["status"]!["stepCanaryLatency"]!["upperBoundsMs"]);

        crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["status"]!["properties"] = current;
        bed.Api.Apply(crd);
    }
}
