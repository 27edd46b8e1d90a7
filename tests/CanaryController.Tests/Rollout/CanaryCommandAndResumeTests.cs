using LabNet.Canary;
using LabNet.CanaryController.Resources;
using LabNet.CanaryController.Rollout;

namespace LabNet.CanaryController.Tests.Rollout;

public sealed class CanaryCommandAndResumeTests
{
    [Fact]
    public void Restarted_controller_resumes_the_same_step_without_touching_weights()
    {
        var first = new CanaryDriver();
        first.StartRamp();
        first.Healthy();
        first.Healthy();
        first.Healthy();
        first.Healthy(); // -> 50
        first.Healthy(); // 125 of 200 at 50
        var saved = first.Status;

        // A new process: new state machine, status read back from the Canary, mesh read back from the cluster.
        var restarted = new CanaryDriver { Status = saved, Mesh = first.Mesh };
        restarted.Clock.Advance(first.Clock.GetUtcNow() - CanaryDriver.Start);
        var idle = restarted.Tick();
        var holding = restarted.Traffic(5, 0, 5, 0);

        Assert.Empty(idle.Actions);
        Assert.Empty(holding.Actions.OfType<SetRouteWeights>());
        Assert.Equal((CanaryPhase.Progressing, 1, 50), (holding.Status.Phase, holding.Status.StepIndex, holding.Status.CanaryWeight));
        Assert.Equal(130, holding.Status.Counters.StepCanaryRequests);
        Assert.Equal(saved.AnalysisTests.ErrorRate.Events, holding.Status.AnalysisTests.ErrorRate.Events);

        var advanced = restarted.Traffic(70, 0, 70, 0);
        Assert.Equal(80, Assert.Single(advanced.Actions.OfType<SetRouteWeights>()).Weights.CanaryWeight);
    }

    [Fact]
    public void Sequential_evidence_survives_a_restart()
    {
        var first = new CanaryDriver();
        first.StartRamp();
        first.Traffic(200, 0, 50, 2);
        var evidenceBefore = first.Status.AnalysisTests.ErrorRate.EValue();

        var restarted = new CanaryDriver { Status = first.Status, Mesh = first.Mesh };
        restarted.Clock.Advance(first.Clock.GetUtcNow() - CanaryDriver.Start);
        var result = restarted.Traffic(200, 0, 50, 2);

        Assert.True(evidenceBefore > 1);
        Assert.True(result.Status.AnalysisTests.ErrorRate.EValue() > evidenceBefore);
    }

    [Fact]
    public void Pause_stops_the_ramp_even_with_enough_data()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();

        var paused = driver.Command(CanaryCommand.Pause);
        var held = driver.Traffic(800, 0, 200, 0);

        Assert.Equal(CanaryPhase.Paused, paused.Status.Phase);
        Assert.Empty(paused.Actions.OfType<SetRouteWeights>());
        Assert.Equal(DecisionReasons.ManualPause, held.Decision!.Reason);
        Assert.Equal(20, held.Status.CanaryWeight);
        Assert.Empty(held.Actions.OfType<SetRouteWeights>());
    }

    [Fact]
    public void A_paused_canary_that_turns_bad_is_still_rolled_back()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();
        driver.Command(CanaryCommand.Pause);

        var result = driver.Traffic(200, 0, 50, 10);

        Assert.Equal(DecisionOutcome.RollBack, result.Decision!.Outcome);
        Assert.Equal(0, Assert.Single(result.Actions.OfType<SetRouteWeights>()).Weights.CanaryWeight);
    }

    [Fact]
    public void Paused_canary_never_fails_on_a_deadline()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();
        driver.Command(CanaryCommand.Pause);

        var result = driver.Unavailable(TimeSpan.FromHours(2));

        Assert.Equal(CanaryPhase.Paused, result.Status.Phase);
        Assert.Equal(DecisionOutcome.Hold, result.Decision!.Outcome);
    }

    [Fact]
    public void Resume_returns_to_the_step_it_was_paused_in()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();
        driver.Command(CanaryCommand.Pause);
        driver.Healthy();

        var resumed = driver.Command(CanaryCommand.Resume);
        for (var i = 0; i < 4; i++)
        {
            driver.Healthy();
        }

        Assert.Equal(CanaryPhase.Progressing, resumed.Status.Phase);
        Assert.Equal(50, driver.Status.CanaryWeight);
    }

    [Fact]
    public void Promote_now_gives_the_canary_100_and_restores_outlier_detection()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();

        var result = driver.Command(CanaryCommand.PromoteNow);

        Assert.Equal(CanaryPhase.Promoted, result.Status.Phase);
        Assert.Equal(DecisionReasons.ManualPromotion, result.Decision!.Reason);
        Assert.Equal(100, Assert.Single(result.Actions.OfType<SetRouteWeights>()).Weights.CanaryWeight);
        Assert.Single(result.Actions.OfType<RestoreSubsetOutlierDetection>());
    }

    [Fact]
    public void Abort_rolls_back_at_once()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();

        var result = driver.Command(CanaryCommand.Abort);

        Assert.Equal(CanaryPhase.RollingBack, result.Status.Phase);
        Assert.Equal(DecisionReasons.ManualAbort, result.Decision!.Reason);
        Assert.Equal(0, Assert.Single(result.Actions.OfType<SetRouteWeights>()).Weights.CanaryWeight);
    }

    [Fact]
    public void Restart_analysis_after_a_rollback_starts_over_with_fresh_evidence()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();
        driver.Traffic(200, 0, 50, 10);
        driver.Tick();
        Assert.Equal(CanaryPhase.RolledBack, driver.Status.Phase);

        var result = driver.Command(CanaryCommand.RestartAnalysis);

        Assert.Equal(CanaryPhase.HeaderProbe, result.Status.Phase);
        Assert.Equal(0, result.Status.Counters.CanaryRequests);
        Assert.Equal(1.0, result.Status.AnalysisTests.ErrorRate.EValue());
        Assert.Contains(result.Actions.OfType<EmitEvent>(), e => e.Reason == DecisionReasons.AnalysisRestarted);
        Assert.Single(result.Actions.OfType<SetSubsetOutlierDetection>());
    }

    [Fact]
    public void A_command_that_does_not_apply_changes_nothing_and_says_why()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();

        var result = driver.Command(CanaryCommand.Resume);

        Assert.Equal(DecisionReasons.CommandNotApplicable, result.Decision!.Reason);
        Assert.Equal(CanaryPhase.Progressing, result.Status.Phase);
        Assert.Empty(result.Actions.OfType<SetRouteWeights>());
        Assert.Contains("Command resume does not apply in phase Progressing (what applies: pause, promote, abort, restart)", result.Decision.Message);
    }
}
