using System.Collections.Concurrent;
using System.Diagnostics;
using LabNet.CanaryController.Telemetry;

namespace LabNet.CanaryController.Tests.Kubernetes;

[Collection(SimulatorApiServerCollection.Name)]
public sealed class CanaryTickTelemetryTests(SimulatorApiServer server)
{
    [Fact]
    public async Task Every_decision_span_links_to_the_rollout_root_span_kept_in_status_across_a_restart()
    {
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CanaryDecisionTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var bed = await CanaryTestBed.StartAsync(server);
        bed.ApplyCanary();

        await bed.TickAsync();
        bed.NewReconciler();
        bed.Traffic(seconds: 5, requestsPerSecond: 50);
        await bed.TickAsync();

        var root = ActivityContext.Parse(bed.Status.RolloutTraceParent!, null);
        Assert.Single(stopped, a => a.TraceId == root.TraceId && a.SpanId == root.SpanId && a.DisplayName == "canary rollout demo/httpbin");
        var decisions = stopped.Where(a => a.DisplayName.StartsWith("canary ", StringComparison.Ordinal) && a.Links.Any(l => l.Context.TraceId == root.TraceId && l.Context.SpanId == root.SpanId)).ToList();
        Assert.Contains(decisions, a => a.DisplayName == "canary tick demo/httpbin"); // the second tick, by the restarted process
        Assert.Equal(2, decisions.Count(a => a.GetTagItem("canary.decision.outcome") is not null));
    }
}
