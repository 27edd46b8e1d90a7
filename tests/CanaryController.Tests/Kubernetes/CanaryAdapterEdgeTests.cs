using LabNet.Canary;
using System.Text.Json.Nodes;
using LabNet.CanaryController.Resources;

namespace LabNet.CanaryController.Tests.Kubernetes;

/// <summary>What the adapter does when the cluster or the FlowCollector is not as expected, and operator commands.</summary>
[Collection(SimulatorApiServerCollection.Name)]
public sealed class CanaryAdapterEdgeTests(SimulatorApiServer server)
{
    [Fact]
    public async Task Weights_changed_by_hand_are_rewritten_and_other_routes_and_fields_are_kept()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        bed.EditVirtualService(vs =>
        {
            var http = vs["spec"]!["http"]!.AsArray();
            http[1]!["timeout"] = "5s";
            http[1]!["retries"] = new JsonObject { ["attempts"] = 2, ["perTryTimeout"] = "1s" };
            http.Insert(1, new JsonObject
            {
                ["name"] = "status-probe",
                ["match"] = new JsonArray(new JsonObject { ["uri"] = new JsonObject { ["prefix"] = "/status" } }),
                ["route"] = new JsonArray(
                    new JsonObject { ["destination"] = new JsonObject { ["host"] = "httpbin", ["subset"] = "v1" }, ["weight"] = 90 },
                    new JsonObject { ["destination"] = new JsonObject { ["host"] = "httpbin", ["subset"] = "v2" }, ["weight"] = 10 }),
            });
        });
        bed.ApplyCanary();
        await bed.TickAsync();
        var before = bed.VirtualService["spec"]!.DeepClone();

        bed.EditVirtualService(vs => vs["spec"]!["http"]![2]!["route"]![1]!["weight"] = 50);
        bed.EditVirtualService(vs => vs["spec"]!["http"]![2]!["route"]![0]!["weight"] = 50);
        bed.Traffic(seconds: 5, requestsPerSecond: 50);
        await bed.TickAsync();

        Assert.True(JsonNode.DeepEquals(before, bed.VirtualService["spec"]), bed.VirtualService["spec"]!.ToJsonString());
        Assert.Equal((100, 0), bed.Weights());
        Assert.Contains(bed.Events, e => e["reason"]!.GetValue<string>() == DecisionReasons.WeightDrift);
    }

    [Fact]
    public async Task Weighted_route_with_a_third_destination_is_refused_and_left_alone()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        bed.EditVirtualService(vs => vs["spec"]!["http"]![1]!["route"]!.AsArray().Add(new JsonObject
        {
            ["destination"] = new JsonObject { ["host"] = "httpbin-legacy" },
            ["weight"] = 0,
        }));
        var version = bed.VirtualService["metadata"]!["resourceVersion"]!.GetValue<string>();
        bed.ApplyCanary();

        await bed.TickAsync();

        Assert.Equal(version, bed.VirtualService["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal((80, 20), bed.Weights());
    }

    [Fact]
    public async Task Flowcollector_down_holds_with_metrics_unavailable_and_moves_no_traffic()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        bed.ApplyCanary();
        await bed.TickAsync();
        var version = bed.VirtualService["metadata"]!["resourceVersion"]!.GetValue<string>();
        await bed.StopFlowCollectorAsync();

        bed.Time.Advance(TimeSpan.FromSeconds(5));
        await bed.TickAsync();

        var status = bed.Status;
        Assert.Equal(CanaryPhase.HeaderProbe, status.Phase);
        Assert.Equal(DecisionReasons.MetricsUnavailable, status.LastDecision!.Reason);
        Assert.Contains("cannot be reached", status.LastDecision.Message, StringComparison.Ordinal);
        Assert.Equal(version, bed.VirtualService["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Abort_annotation_rolls_back_at_once_and_is_handled_only_once()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        bed.ApplyCanary();
        await bed.TickAsync();
        await bed.UntilProgressingAsync();

        Assert.Equal((80, 20), bed.Weights());
        await bed.CommandAsync("abort@1");
        await bed.TickAsync();

        Assert.Equal((100, 0), bed.Weights());
        Assert.Equal(CanaryPhase.RollingBack, bed.Status.Phase);
        Assert.Equal("abort@1", bed.Status.LastCommand);
        Assert.Equal(DecisionReasons.ManualAbort, bed.Status.LastDecision!.Reason);

        await bed.TickAsync();
        await bed.TickAsync();
        Assert.Equal(CanaryPhase.RolledBack, bed.Status.Phase);
        Assert.Single(bed.Events, e => e["reason"]!.GetValue<string>() == DecisionReasons.ManualAbort);
    }

    [Fact]
    public async Task Restart_annotation_starts_the_analysis_again_under_a_new_rollout_span()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        bed.ApplyCanary();
        await bed.TickAsync();
        var firstRollout = bed.Status.RolloutTraceParent;
        await bed.CommandAsync("abort@1");
        await bed.TickAsync();
        await bed.TickAsync();
        Assert.Equal(CanaryPhase.RolledBack, bed.Status.Phase);

        bed.Time.Advance(TimeSpan.FromSeconds(5));
        await bed.CommandAsync("restart@2");
        await bed.TickAsync();

        var status = bed.Status;
        Assert.Equal(CanaryPhase.HeaderProbe, status.Phase);
        Assert.Equal("restart@2", status.LastCommand);
        Assert.NotNull(status.RolloutTraceParent);
        Assert.NotEqual(firstRollout, status.RolloutTraceParent);
    }

    [Fact]
    public async Task Unknown_annotation_value_is_reported_once_and_changes_nothing()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        bed.ApplyCanary();
        await bed.TickAsync();
        var version = bed.VirtualService["metadata"]!["resourceVersion"]!.GetValue<string>();

        await bed.CommandAsync("rollback");
        await bed.TickAsync();
        await bed.TickAsync();

        Assert.Equal("rollback", bed.Status.LastCommand);
        Assert.Equal(CanaryPhase.HeaderProbe, bed.Status.Phase);
        var warning = Assert.Single(bed.Events, e => e["reason"]!.GetValue<string>() == "UnknownCommand");
        Assert.Contains("pause, resume, promote, abort, restart", warning["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(version, bed.VirtualService["metadata"]!["resourceVersion"]!.GetValue<string>());
    }
}
