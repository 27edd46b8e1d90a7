using LabNet.Canary;
using LabNet.CanaryController.Resources;
using LabNet.CanaryController.Rollout;

namespace LabNet.CanaryController.Tests.Rollout;

public sealed class CanaryLateRegressionTests
{
    [Fact]
    public void A_canary_that_turns_bad_after_a_good_step_is_caught_by_the_step_test_not_held_back_by_its_past()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();
        for (var i = 0; i < 20 && driver.Status.CanaryWeight == 20; i++)
        {
            driver.Traffic(200, 2, 50, 0); // stable has errors, canary none: the past argues for the canary
        }

        Assert.Equal(50, driver.Status.CanaryWeight);

        var first = driver.Traffic(125, 0, 125, 8);
        var second = driver.Traffic(125, 0, 125, 8);

        Assert.NotEqual(DecisionOutcome.RollBack, first.Decision!.Outcome);
        Assert.Equal(DecisionOutcome.RollBack, second.Decision!.Outcome);
        var threshold = second.Decision.Evidence.ErrorRateThreshold!.Value;
        Assert.True(second.Status.StepTests.ErrorRate.EValue() >= threshold);
        Assert.True(second.Status.AnalysisTests.ErrorRate.EValue() < threshold, "the whole-analysis test alone would still be climbing back");
    }

    [Fact]
    public void Evidence_halfway_to_a_rollback_holds_the_ramp()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();
        for (var i = 0; i < 3; i++)
        {
            driver.Healthy();
        }

        // Enough requests for the step, but 3 canary errors against none on stable: suspicious, not conclusive.
        var result = driver.Traffic(200, 0, 50, 3);

        Assert.Equal(DecisionReasons.EvidenceLeansWorse, result.Decision!.Reason);
        Assert.Contains("error rate vs stable e-value", result.Decision.Message);
        Assert.Equal(20, result.Status.CanaryWeight);
        Assert.Empty(result.Actions.OfType<SetRouteWeights>());
    }
}
