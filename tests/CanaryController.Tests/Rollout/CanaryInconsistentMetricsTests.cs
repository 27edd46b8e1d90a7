using LabNet.CanaryController.Resources;
using LabNet.CanaryController.Rollout;

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
        Assert.Contains("canary has more 5xx (80) than requests (50)", result.Decision.Message);
        Assert.Equal(before.Counters, result.Status.Counters);
        Assert.Equal(before.ObservedUntil, result.Status.ObservedUntil);
        Assert.Empty(result.Actions.OfType<SetRouteWeights>());
    }
}
