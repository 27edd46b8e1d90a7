using LabNet.Canary;
using LabNet.Benchmarks.CanaryQuality;
using LabNet.CanaryController.Resources;
using LabNet.CanaryController.Rollout;

namespace LabNet.CanaryController.Tests.Rollout;

/// <summary>The three outcomes that must never be confused: not enough data, metrics unavailable, canary worse.</summary>
public sealed class CanaryOutcomeTests
{
    [Fact]
    public void Canary_worse_than_stable_is_rolled_back_to_weight_0_in_the_same_tick()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();

        var result = driver.Traffic(200, 0, 50, 8);

        Assert.Equal(DecisionOutcome.RollBack, result.Decision!.Outcome);
        Assert.Equal(DecisionReasons.ErrorRateAboveStable, result.Decision.Reason);
        Assert.Equal(CanaryPhase.RollingBack, result.Status.Phase);
        var weights = Assert.Single(result.Actions.OfType<SetRouteWeights>()).Weights;
        Assert.Equal((100, 0), (weights.StableWeight, weights.CanaryWeight));
        var eject = Assert.Single(result.Actions.OfType<SetSubsetOutlierDetection>());
        Assert.Equal(OutlierDetectionSettings.EjectQuickly, eject.Settings);
        Assert.Contains(result.Actions.OfType<EmitEvent>(), e => e.Severity == EventSeverity.Warning && e.Reason == DecisionReasons.ErrorRateAboveStable);
    }

    [Fact]
    public void Rollback_decision_carries_the_numbers_it_used()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();

        var evidence = driver.Traffic(200, 0, 50, 8).Decision!.Evidence;

        Assert.Equal((50L, 8L, 200L, 0L), (evidence.WindowCanaryRequests, evidence.WindowCanaryErrors, evidence.WindowStableRequests, evidence.WindowStableErrors));
        Assert.Equal(110, evidence.TotalCanaryRequests); // 60 header-probe requests + 50
        Assert.Equal(5 / (0.01 * 0.5), evidence.ErrorRateThreshold!.Value, 6); // 5 processes: analysis, probe, 3 steps
        Assert.True(evidence.ErrorRateEValue >= evidence.ErrorRateThreshold, $"e-value {evidence.ErrorRateEValue}");
        Assert.NotNull(evidence.SuccessRateEValue);
        Assert.Equal(0, evidence.CanaryWeight);
    }

    [Fact]
    public void Rolling_back_becomes_rolled_back_once_the_virtual_service_shows_weight_0()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();
        driver.WritesTakeEffect = false;
        driver.Traffic(200, 0, 50, 8);

        var notYet = driver.Tick();
        Assert.Equal(CanaryPhase.RollingBack, notYet.Status.Phase);
        Assert.Equal(0, Assert.Single(notYet.Actions.OfType<SetRouteWeights>()).Weights.CanaryWeight);

        driver.WritesTakeEffect = true;
        driver.Tick();
        var confirmed = driver.Tick();
        Assert.Equal(CanaryPhase.RolledBack, confirmed.Status.Phase);
        Assert.Contains(confirmed.Status.Conditions, c => c.Type == CanaryConditionTypes.Complete && c.Reason == DecisionReasons.RolledBack);
    }

    [Fact]
    public void A_single_error_at_low_traffic_is_not_a_rollback()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();

        // 1 of 5 canary requests failed: a 80% "success rate" per window, which a per-interval threshold would fail.
        var result = driver.Traffic(20, 0, 5, 1);

        Assert.Equal(DecisionOutcome.Hold, result.Decision!.Outcome);
        Assert.Equal(DecisionReasons.NotEnoughData, result.Decision.Reason);
        Assert.Empty(result.Actions.OfType<SetRouteWeights>());
    }

    [Fact]
    public void Not_enough_data_holds_and_reports_the_expected_time_to_a_decision()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();

        var result = driver.Traffic(40, 0, 10, 0);

        Assert.Equal(DecisionOutcome.Hold, result.Decision!.Outcome);
        Assert.Equal(DecisionReasons.NotEnoughData, result.Decision.Reason);
        // 10 of 200 requests in 5 s: 190 more at 2 req/s.
        Assert.Equal(95, result.Decision.Evidence.ExpectedSecondsToDecision);
        Assert.Contains("about 95 s", result.Decision.Message);
        Assert.StartsWith("Not enough data at v1 80 / v2 20, waiting for canary requests and canary latency samples", result.Decision.Message);
        Assert.DoesNotContain("past the deadline", result.Decision.Message);
        Assert.Empty(result.Actions.OfType<SetRouteWeights>());
        Assert.Equal(20, result.Status.CanaryWeight);
    }

    [Fact]
    public void No_traffic_holds_without_rollback_and_says_no_decision_will_come()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();

        for (var i = 0; i < 10; i++)
        {
            var result = driver.Traffic(0, 0, 0, 0, TimeSpan.FromMinutes(1));
            Assert.Equal(DecisionReasons.NotEnoughData, result.Decision!.Reason);
            Assert.Null(result.Decision.Evidence.ExpectedSecondsToDecision);
            Assert.Contains("no decision will come", result.Decision.Message);
            Assert.Contains("That is past the deadline: send more traffic, or raise deadline.notEnoughData", result.Decision.Message);
            Assert.Empty(result.Actions.OfType<SetRouteWeights>());
        }

        Assert.Equal(CanaryPhase.Progressing, driver.Status.Phase);
    }

    [Fact]
    public void Not_enough_data_past_the_deadline_fails_safe_to_stable_and_says_so()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();
        driver.Traffic(40, 0, 10, 0);

        var result = driver.Traffic(0, 0, 0, 0, TimeSpan.FromMinutes(30));

        Assert.Equal(DecisionOutcome.FailSafe, result.Decision!.Outcome);
        Assert.Equal(DecisionReasons.NotEnoughDataDeadlineExceeded, result.Decision.Reason);
        Assert.Equal(CanaryPhase.Failed, result.Status.Phase);
        Assert.Equal(0, Assert.Single(result.Actions.OfType<SetRouteWeights>()).Weights.CanaryWeight);
        Assert.Contains("No verdict on the canary", result.Decision.Message);
        Assert.Contains(result.Status.Conditions, c => c.Type == CanaryConditionTypes.Complete && c.Reason == DecisionReasons.NotEnoughDataDeadlineExceeded);
    }

    [Fact]
    public void Metrics_unavailable_holds_the_weights_and_names_the_fail_safe_time()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();

        var result = driver.Unavailable(TimeSpan.FromSeconds(30));

        Assert.Equal(DecisionOutcome.Hold, result.Decision!.Outcome);
        Assert.Equal(DecisionReasons.MetricsUnavailable, result.Decision.Reason);
        Assert.Contains("connection refused", result.Decision.Message);
        Assert.Contains("fails safe at 12:05:05Z", result.Decision.Message);
        Assert.Empty(result.Actions.OfType<SetRouteWeights>());
        Assert.Contains(result.Status.Conditions, c => c.Type == CanaryConditionTypes.Analysing && c.Status == ConditionStatus.False && c.Reason == DecisionReasons.MetricsUnavailable);
    }

    [Fact]
    public void Metrics_unavailable_past_the_deadline_fails_safe()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();
        driver.Unavailable(TimeSpan.FromMinutes(2));

        var result = driver.Unavailable(TimeSpan.FromMinutes(3));

        Assert.Equal(DecisionOutcome.FailSafe, result.Decision!.Outcome);
        Assert.Equal(DecisionReasons.MetricsUnavailableDeadlineExceeded, result.Decision.Reason);
        Assert.Equal(CanaryPhase.Failed, result.Status.Phase);
        Assert.Equal(0, Assert.Single(result.Actions.OfType<SetRouteWeights>()).Weights.CanaryWeight);
    }

    [Fact]
    public void Freeze_fail_safe_keeps_the_weights()
    {
        var driver = new CanaryDriver(Fixtures.Spec with { Deadline = new DeadlineSpec { OnExpiry = FailSafeAction.Freeze } });
        driver.StartRamp();

        var result = driver.Unavailable(TimeSpan.FromMinutes(6));

        Assert.Equal(CanaryPhase.Failed, result.Status.Phase);
        Assert.Equal(20, result.Status.CanaryWeight);
        Assert.Empty(result.Actions.OfType<SetRouteWeights>());
        Assert.Contains("frozen", result.Decision!.Message);
    }

    [Fact]
    public void Metrics_that_come_back_reset_the_unavailable_deadline()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();
        driver.Unavailable(TimeSpan.FromMinutes(4));
        driver.Healthy();

        var result = driver.Unavailable(TimeSpan.FromMinutes(4));

        Assert.Equal(DecisionOutcome.Hold, result.Decision!.Outcome);
        Assert.Equal(CanaryPhase.Progressing, result.Status.Phase);
    }

    [Fact]
    public void Observed_split_that_disagrees_with_the_written_weight_blocks_the_next_step()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();

        CanaryTickResult result = null!;
        for (var i = 0; i < 3; i++)
        {
            result = driver.Traffic(125, 0, 125, 0); // 50% observed at weight 20
        }

        Assert.Equal(DecisionReasons.TrafficSplitMismatch, result.Decision!.Reason);
        Assert.Equal(50.0, result.Decision.Evidence.ObservedCanarySharePercent);
        Assert.Equal(20, result.Status.CanaryWeight);
        Assert.Empty(result.Actions.OfType<SetRouteWeights>());
    }

    [Fact]
    public void Header_routed_canary_requests_are_left_out_of_the_split_check()
    {
        // 20% of requests carry x-canary: true and all reach v2; the rest follow 80/20: v2 sees 36% in all.
        var withProbeLeftOut = new CanaryDriver();
        withProbeLeftOut.StartRamp();
        var counted = new CanaryDriver();
        counted.StartRamp();

        CanaryTickResult advanced = null!, held = null!;
        for (var i = 0; i < 4 && withProbeLeftOut.Status.CanaryWeight == 20; i++)
        {
            advanced = withProbeLeftOut.Traffic(3200, 0, 1800, 0, canaryProbeRequests: 1000);
            held = counted.Traffic(3200, 0, 1800, 0);
        }

        Assert.Equal(50, withProbeLeftOut.Status.CanaryWeight);
        Assert.Equal(20.0, advanced.Decision!.Evidence.ObservedCanarySharePercent);
        Assert.Equal(DecisionReasons.TrafficSplitMismatch, held.Decision!.Reason);
    }

    [Fact]
    public void A_virtual_service_changed_by_someone_else_is_rewritten_and_the_window_not_counted()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();
        driver.Mesh = HttpbinMesh.WithCanaryWeight(60);

        var result = driver.Healthy();

        Assert.Equal(DecisionReasons.WeightDrift, result.Decision!.Reason);
        Assert.Equal(20, Assert.Single(result.Actions.OfType<SetRouteWeights>()).Weights.CanaryWeight);
        Assert.Equal(0, result.Status.Counters.StepCanaryRequests);
        Assert.Contains(result.Actions.OfType<EmitEvent>(), e => e.Reason == DecisionReasons.WeightDrift && e.Message.Contains("v1 40 / v2 60"));
    }

    [Fact]
    public void Absolute_p99_guard_rolls_back_a_slow_canary()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();

        var result = driver.Traffic(2000, 0, 500, 0, stableP99Ms: 400, canaryP99Ms: 650);

        Assert.Equal(DecisionReasons.P99AboveMaximum, result.Decision!.Reason);
        Assert.Equal(0, result.Status.CanaryWeight);
    }

    [Fact]
    public void P99_far_above_stable_rolls_back_even_under_the_absolute_limit()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();

        var result = driver.Traffic(2000, 0, 500, 0, stableP99Ms: 80, canaryP99Ms: 380);

        Assert.Equal(DecisionReasons.P99AboveStable, result.Decision!.Reason);
        // Both p99s are upper bounds of 5% wide buckets.
        Assert.InRange(result.Decision.Evidence.P99Ratio!.Value, 380.0 / 80 / 1.05, 380.0 / 80 * 1.05);
    }

    [Fact]
    public void P99_from_too_few_requests_is_not_trusted()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();

        var result = driver.Traffic(200, 0, 50, 0, stableP99Ms: 80, canaryP99Ms: 900);

        Assert.NotEqual(DecisionOutcome.RollBack, result.Decision!.Outcome);
    }
}
