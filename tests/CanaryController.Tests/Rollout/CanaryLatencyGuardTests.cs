using LabNet.Canary;
using LabNet.CanaryController.Resources;

namespace LabNet.CanaryController.Tests.Rollout;

/// <summary>
/// The p99 guards judge the canary's histogram merged over the step against stable's over the analysis, and a weighted
/// step does not pass before both hold <c>guards.minLatencySamples</c> requests, even when the step itself needs fewer:
/// a canary whose p99 breaks its own guards is never promoted, whatever the traffic rate.
/// </summary>
public sealed class CanaryLatencyGuardTests
{
    /// <summary>The shipped spec with more latency samples than step requests: 1000 against 200.</summary>
    private static readonly CanarySpec Spec = Fixtures.FastSpec with { Guards = new GuardsSpec { MinLatencySamples = 1000 } };

    [Fact]
    public void A_step_waits_for_the_latency_samples_of_the_p99_guards_when_they_need_more_than_the_step()
    {
        var driver = new CanaryDriver(Spec);
        driver.StartRamp();

        var holds = new List<string>();
        while (driver.Status.StepIndex == 0 && driver.Status.Phase == CanaryPhase.Progressing && holds.Count < 20)
        {
            var result = driver.Healthy(1250); // 250 canary requests a window: the step's 200 in the first
            if (result.Decision!.Outcome == DecisionOutcome.Hold)
            {
                holds.Add(result.Decision.Message);
            }
        }

        Assert.Equal(1, driver.Status.StepIndex);
        Assert.Equal(3, holds.Count); // 250, 500 and 750 samples; the step passes with the 1000th
        Assert.Contains("250 of 1000 canary latency samples this step", holds[0], StringComparison.Ordinal);
        var passed = driver.History[^1].Decision!;
        Assert.Equal(DecisionReasons.StepPassed, passed.Reason);
        Assert.Equal((1000, 1000), (passed.Evidence.CanaryLatencySamples, passed.Evidence.MinLatencySamples));
        Assert.Contains("(1000 samples this step)", passed.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(1_000)]
    [InlineData(20_000)]
    public void A_canary_whose_p99_breaks_its_guards_is_never_promoted_at_any_rate(long requestsPerWindow)
    {
        var driver = new CanaryDriver(Spec);
        driver.StartRamp();

        for (var window = 0; window < 500 && !driver.Status.Phase.IsTerminal() && driver.Status.Phase != CanaryPhase.RollingBack; window++)
        {
            var canary = requestsPerWindow * driver.Status.CanaryWeight / 100;
            driver.Traffic(requestsPerWindow - canary, 0, canary, 0, stableP99Ms: 40, canaryP99Ms: 90); // 2.25x stable, under the 500 ms maximum
        }

        Assert.DoesNotContain(driver.History, r => r.Decision?.Outcome == DecisionOutcome.Promote);
        var rollback = Assert.Single(driver.History, r => r.Decision?.Outcome == DecisionOutcome.RollBack).Decision!;
        Assert.Contains(rollback.Reason, new[] { DecisionReasons.P99AboveStable, DecisionReasons.LatencyTailAboveStable });
    }

    [Fact]
    public void The_p99_guards_judge_the_steps_windows_merged()
    {
        var driver = new CanaryDriver(Fixtures.FastSpec with { Guards = new GuardsSpec { MinLatencySamples = 300 } });
        driver.StartRamp();

        // 100 canary requests a window, 2% of them at 650 ms: no window alone has the 300 samples, three together do.
        var first = driver.Traffic(400, 0, 100, 0, stableP99Ms: 400, canaryP99Ms: 650);
        var second = driver.Traffic(400, 0, 100, 0, stableP99Ms: 400, canaryP99Ms: 650);
        var third = driver.Traffic(400, 0, 100, 0, stableP99Ms: 400, canaryP99Ms: 650);

        Assert.Equal((DecisionOutcome.Hold, DecisionOutcome.Hold), (first.Decision!.Outcome, second.Decision!.Outcome));
        Assert.Equal(DecisionReasons.P99AboveMaximum, third.Decision!.Reason);
        Assert.Equal(300, third.Decision.Evidence.CanaryLatencySamples);
        Assert.InRange(third.Decision.Evidence.CanaryP99Ms!.Value, 650, 650 * 1.05);
        Assert.InRange(third.Decision.Evidence.StableP99Ms!.Value, 400, 400 * 1.05);
    }

    [Fact]
    public void Every_decision_carries_the_latency_evidence()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();

        var result = driver.Traffic(2000, 0, 500, 0, stableP99Ms: 40, canaryP99Ms: 44);

        var evidence = result.Decision!.Evidence;
        Assert.InRange(evidence.CanaryP99Ms!.Value, 44, 44 * 1.05);
        Assert.InRange(evidence.StableP99Ms!.Value, 20, 40 * 1.05);
        Assert.Equal((500, 100), (evidence.CanaryLatencySamples, evidence.MinLatencySamples));
        Assert.Equal(2240, evidence.StableLatencySamples); // the header probe's 240 and this window's 2000
        Assert.NotNull(evidence.LatencyTailEValue);
        Assert.InRange(evidence.LatencyTailSlowMs!.Value, CanaryDriver.TypicalLatencyMs, CanaryDriver.TypicalLatencyMs * 1.05);
    }
}
