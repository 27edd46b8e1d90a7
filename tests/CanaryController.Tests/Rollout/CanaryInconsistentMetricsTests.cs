using LabNet.Canary;
using LabNet.CanaryController.Resources;
using LabNet.CanaryController.Analysis;
using LabNet.CanaryController.Rollout;
using LabNet.Traffic;

namespace LabNet.CanaryController.Tests.Rollout;

public sealed class CanaryInconsistentMetricsTests
{
    [Fact]
    public void A_summary_with_more_errors_than_requests_is_treated_as_metrics_unavailable()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();
        var before = driver.Status;

        var result = driver.Traffic(200, 0, 50, 80);

        Assert.Equal(DecisionReasons.MetricsUnavailable, result.Decision!.Reason);
        Assert.Contains("version v2 has more 5xx (80) than requests (50)", result.Decision.Message);
        Assert.Equal(before.Counters, result.Status.Counters);
        Assert.Equal(before.ObservedUntil, result.Status.ObservedUntil);
        Assert.Empty(result.Actions.OfType<SetRouteWeights>());
    }

    [Fact]
    public void A_summary_whose_histograms_do_not_cover_its_requests_is_metrics_unavailable_not_a_fast_canary()
    {
        // A FlowCollector from before the histogram was part of the summary: counts, no latencies.
        var result = WindowAfterRamp(new VersionTraffic { Version = "v1", Requests = 200 }, new VersionTraffic { Version = "v2", Requests = 50 });

        Assert.Equal(DecisionReasons.MetricsUnavailable, result.Decision!.Reason);
        Assert.Contains("version v1 has 0 latency samples for 200 requests", result.Decision.Message);
    }

    [Fact]
    public void A_histogram_with_other_buckets_is_metrics_unavailable()
    {
        var otherBuckets = new LatencyHistogram { FirstBoundMs = 1, Growth = 2, Offset = 3, Counts = [50] };

        var result = WindowAfterRamp(
            new VersionTraffic { Version = "v1", Requests = 200, Latency = CanaryDriver.Latencies(200) },
            new VersionTraffic { Version = "v2", Requests = 50, Latency = otherBuckets });

        Assert.Equal(DecisionReasons.MetricsUnavailable, result.Decision!.Reason);
        Assert.Contains("buckets from 1 ms growing x2", result.Decision.Message);
    }

    /// <summary>One 5 s window of exactly this traffic, at the first step.</summary>
    private static CanaryTickResult WindowAfterRamp(VersionTraffic stable, VersionTraffic canary)
    {
        var driver = new CanaryDriver();
        driver.StartRamp();
        var from = driver.Status.ObservedUntil!.Value;
        driver.Clock.Advance(TimeSpan.FromSeconds(5));
        return driver.Tick(new TrafficWindow(from, driver.Clock.GetUtcNow(), stable, canary));
    }
}
