using System.Diagnostics;
using LabNet.CanaryController.Telemetry;
using LabNet.CanaryController.Tests.Rollout;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using System.Diagnostics.Metrics;

namespace LabNet.CanaryController.Tests.Telemetry;

public sealed class CanaryDecisionTelemetryTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly List<Activity> spans = [];
    private readonly ActivityListener listener;

    public CanaryDecisionTelemetryTests()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CanaryDecisionTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
    }

    [Fact]
    public void A_rollback_becomes_an_error_span_with_its_numbers_linked_to_the_rollout()
    {
        using var telemetry = new CanaryDecisionTelemetry(services.GetRequiredService<IMeterFactory>());
        var driver = new CanaryDriver();
        driver.StartRamp();
        var rollout = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);

        telemetry.Record("demo", "httpbin", driver.Traffic(200, 0, 50, 8), rollout);

        var span = Assert.Single(spans, s => (string?)s.GetTagItem("canary.name") == "httpbin");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("RollBack", span.GetTagItem("canary.decision.outcome"));
        Assert.Equal("ErrorRateAboveStable", span.GetTagItem("canary.decision.reason"));
        Assert.Equal(8L, span.GetTagItem("canary.window.canary.errors"));
        Assert.Equal(1000.0, (double)span.GetTagItem("canary.test.error_rate.threshold")!, 6);
        Assert.Contains("weights httpbin-routing: v1 100 / v2 0", (string)span.GetTagItem("canary.actions")!);
        Assert.Equal(rollout.TraceId, Assert.Single(span.Links).Context.TraceId);
    }

    [Fact]
    public void Weight_and_decisions_are_metrics()
    {
        using var telemetry = new CanaryDecisionTelemetry(services.GetRequiredService<IMeterFactory>());
        using var weight = new MetricCollector<int>(services.GetRequiredService<IMeterFactory>(), CanaryDecisionTelemetry.Name, "labnet.canary.weight");
        using var decisions = new MetricCollector<long>(services.GetRequiredService<IMeterFactory>(), CanaryDecisionTelemetry.Name, "labnet.canary.decisions");
        var driver = new CanaryDriver();
        driver.StartRamp();

        telemetry.Record("demo", "httpbin", driver.Healthy());

        Assert.Equal(20, weight.LastMeasurement!.Value);
        Assert.Equal("httpbin", weight.LastMeasurement.Tags["canary.name"]);
        var decision = Assert.Single(decisions.GetMeasurementSnapshot());
        Assert.Equal(("Hold", "NotEnoughData"), (decision.Tags["canary.decision.outcome"], decision.Tags["canary.decision.reason"]));
    }

    public void Dispose()
    {
        listener.Dispose();
        services.Dispose();
    }
}
