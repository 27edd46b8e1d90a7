using LabNet.Canary;
using System.Text.Json.Nodes;
using LabNet.CanaryController.Resources;

namespace LabNet.CanaryController.Tests.Kubernetes;

/// <summary>The adapter against the simulator's real Kubernetes API: what it writes to the VirtualService, DestinationRule, status and events.</summary>
[Collection(SimulatorApiServerCollection.Name)]
public sealed class CanaryAdapterTests(SimulatorApiServer server)
{
    [Fact]
    public async Task First_tick_writes_weights_100_0_to_the_weighted_route_only_and_tightens_the_canary_subset()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        var headerRouteBefore = bed.VirtualService["spec"]!["http"]![0]!.DeepClone();
        var ruleBefore = bed.DestinationRule["spec"]!.DeepClone();
        bed.ApplyCanary();

        await bed.TickAsync();

        Assert.Equal((100, 0), bed.Weights());
        var http = bed.VirtualService["spec"]!["http"]!.AsArray();
        Assert.Equal(2, http.Count);
        Assert.True(JsonNode.DeepEquals(headerRouteBefore, http[0]), "the header route must not change");
        Assert.Equal("canary-split", http[1]!["name"]!.GetValue<string>());
        Assert.Equal(["httpbin", "httpbin"], http[1]!["route"]!.AsArray().Select(d => d!["destination"]!["host"]!.GetValue<string>()));

        var rule = bed.DestinationRule["spec"]!;
        Assert.True(JsonNode.DeepEquals(ruleBefore["trafficPolicy"], rule["trafficPolicy"]), "the rule-level policy (outlierDetection, connectionPool, portLevelSettings) must not change");
        var canarySubset = rule["subsets"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "v2")!;
        Assert.Equal(3, canarySubset["trafficPolicy"]!["outlierDetection"]!["consecutive5xxErrors"]!.GetValue<int>());
        Assert.Equal("5s", canarySubset["trafficPolicy"]!["outlierDetection"]!["interval"]!.GetValue<string>());
        Assert.Null(rule["subsets"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "v1")!["trafficPolicy"]);
        Assert.Equal(JsonValue.Create("v2"), canarySubset["labels"]!["version"], JsonNode.DeepEquals);
    }

    [Fact]
    public async Task Status_goes_through_the_status_subresource_and_events_name_the_canary()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        bed.ApplyCanary();

        await bed.TickAsync();

        var status = bed.Status;
        Assert.Equal(CanaryPhase.HeaderProbe, status.Phase);
        Assert.Equal(0, status.CanaryWeight);
        Assert.Equal(1, status.ObservedGeneration);
        Assert.Equal(bed.Time.GetUtcNow(), status.ObservedUntil);
        Assert.NotNull(status.RolloutTraceParent);
        Assert.Equal(100, bed.Canary["status"]!["stableWeight"]!.GetValue<int>());

        var initialized = Assert.Single(bed.Events, e => e["reason"]!.GetValue<string>() == DecisionReasons.Initialized);
        Assert.Equal("Normal", initialized["type"]!.GetValue<string>());
        Assert.Equal("Canary", initialized["involvedObject"]!["kind"]!.GetValue<string>());
        Assert.Equal("labnet.io/v1alpha1", initialized["involvedObject"]!["apiVersion"]!.GetValue<string>());
        Assert.Equal(CanaryTestBed.CanaryName, initialized["involvedObject"]!["name"]!.GetValue<string>());
        Assert.Equal(bed.Canary["metadata"]!["uid"]!.GetValue<string>(), initialized["involvedObject"]!["uid"]!.GetValue<string>());
        Assert.Contains("x-canary", initialized["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthy_canary_is_ramped_20_50_80_and_promoted_with_every_write_summing_to_100()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        bed.ApplyCanary();
        await bed.TickAsync();

        var weightsSeen = new List<(int Stable, int Canary)> { bed.Weights() };
        for (var tick = 0; tick < 100 && bed.Status.Phase != CanaryPhase.Promoted; tick++)
        {
            bed.Traffic(seconds: 5, requestsPerSecond: 50);
            await bed.TickAsync();
            var weights = bed.Weights();
            Assert.Equal(100, weights.Stable + weights.Canary);
            if (weights != weightsSeen[^1])
            {
                weightsSeen.Add(weights);
            }
        }

        Assert.Equal(CanaryPhase.Promoted, bed.Status.Phase);
        Assert.Equal([(100, 0), (80, 20), (50, 50), (20, 80), (0, 100)], weightsSeen);
        var canarySubset = bed.DestinationRule["spec"]!["subsets"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "v2")!;
        Assert.Null(canarySubset["trafficPolicy"]); // the tightened policy is removed on promotion
        Assert.Contains(bed.Events, e => e["reason"]!.GetValue<string>() == DecisionReasons.Promoted);
    }

    [Fact]
    public async Task Bad_canary_is_rolled_back_to_weight_0_with_quick_ejection()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        bed.ApplyCanary();
        await bed.TickAsync();

        for (var tick = 0; tick < 60 && bed.Status.Phase is not (CanaryPhase.RollingBack or CanaryPhase.RolledBack); tick++)
        {
            bed.Traffic(seconds: 5, requestsPerSecond: 50, canaryErrorRate: 0.2);
            await bed.TickAsync();
        }

        Assert.Equal(CanaryPhase.RollingBack, bed.Status.Phase);
        Assert.Equal((100, 0), bed.Weights());
        var canarySubset = bed.DestinationRule["spec"]!["subsets"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "v2")!;
        Assert.Equal(1, canarySubset["trafficPolicy"]!["outlierDetection"]!["consecutive5xxErrors"]!.GetValue<int>());

        await bed.TickAsync(); // reads the VirtualService back
        Assert.Equal(CanaryPhase.RolledBack, bed.Status.Phase);
    }

    [Fact]
    public async Task Restarted_controller_resumes_at_the_same_weight_without_writing_the_VirtualService()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        bed.ApplyCanary();
        await bed.TickAsync();
        for (var tick = 0; tick < 40 && bed.Status.Phase != CanaryPhase.Progressing; tick++)
        {
            bed.Traffic(seconds: 5, requestsPerSecond: 50);
            await bed.TickAsync();
        }

        Assert.Equal((80, 20), bed.Weights());
        var before = bed.Status;
        var virtualServiceVersion = bed.VirtualService["metadata"]!["resourceVersion"]!.GetValue<string>();
        var ruleVersion = bed.DestinationRule["metadata"]!["resourceVersion"]!.GetValue<string>();

        bed.NewReconciler(); // the process was killed: only the cluster remembers
        bed.Traffic(seconds: 5, requestsPerSecond: 50);
        await bed.TickAsync();

        Assert.Equal(virtualServiceVersion, bed.VirtualService["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(ruleVersion, bed.DestinationRule["metadata"]!["resourceVersion"]!.GetValue<string>());
        var after = bed.Status;
        Assert.Equal(CanaryPhase.Progressing, after.Phase);
        Assert.Equal(before.StepIndex, after.StepIndex);
        Assert.Equal(20, after.CanaryWeight);
        Assert.True(after.Counters.CanaryRequests > before.Counters.CanaryRequests, "the new process continued counting where status left off");
        Assert.Equal(before.RolloutTraceParent, after.RolloutTraceParent);
    }

    [Fact]
    public async Task Invalid_canary_gets_a_condition_and_no_change_to_the_VirtualService_or_DestinationRule()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        var virtualServiceVersion = bed.VirtualService["metadata"]!["resourceVersion"]!.GetValue<string>();
        var ruleVersion = bed.DestinationRule["metadata"]!["resourceVersion"]!.GetValue<string>();
        bed.ApplyCanary(canary => canary["spec"]!["target"]!["canarySubset"] = "v3");

        await bed.TickAsync();
        await bed.TickAsync();

        var status = bed.Status;
        Assert.Equal(CanaryPhase.Failed, status.Phase);
        var valid = Assert.Single(status.Conditions, c => c.Type == CanaryConditionTypes.Valid);
        Assert.Equal(ConditionStatus.False, valid.Status);
        Assert.Contains("v3", valid.Message, StringComparison.Ordinal);
        Assert.Equal(virtualServiceVersion, bed.VirtualService["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(ruleVersion, bed.DestinationRule["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Single(bed.Events, e => e["type"]!.GetValue<string>() == "Warning"); // reported once, not every tick
    }

    [Fact]
    public async Task Status_write_that_conflicts_with_an_annotation_change_is_retried()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        bed.ApplyCanary();
        var read = await bed.Cluster.GetCanaryAsync(CanaryTestBed.Namespace, CanaryTestBed.CanaryName, CancellationToken.None);
        await bed.Cluster.AnnotateCanaryAsync(CanaryTestBed.Namespace, CanaryTestBed.CanaryName, "example.com/owner", "team-a", CancellationToken.None);

        var written = await bed.Cluster.WriteStatusAsync(read!, new CanaryStatus { Phase = CanaryPhase.Paused, CanaryWeight = 20 }, CancellationToken.None);

        Assert.True(written);
        Assert.Equal(CanaryPhase.Paused, bed.Status.Phase);
        Assert.Equal("team-a", bed.Canary["metadata"]!["annotations"]!["example.com/owner"]!.GetValue<string>());
    }

    [Fact]
    public async Task Status_write_is_dropped_when_another_writer_changed_status()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        bed.ApplyCanary();
        var read = await bed.Cluster.GetCanaryAsync(CanaryTestBed.Namespace, CanaryTestBed.CanaryName, CancellationToken.None);
        var fresh = await bed.Cluster.GetCanaryAsync(CanaryTestBed.Namespace, CanaryTestBed.CanaryName, CancellationToken.None);
        Assert.True(await bed.Cluster.WriteStatusAsync(fresh!, new CanaryStatus { Phase = CanaryPhase.Progressing, CanaryWeight = 50 }, CancellationToken.None));

        var written = await bed.Cluster.WriteStatusAsync(read!, new CanaryStatus { Phase = CanaryPhase.Paused, CanaryWeight = 20 }, CancellationToken.None);

        Assert.False(written);
        Assert.Equal(50, bed.Status.CanaryWeight);
    }
}
