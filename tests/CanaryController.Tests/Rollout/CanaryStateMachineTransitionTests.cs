using LabNet.Canary;
using LabNet.CanaryController.Resources;
using LabNet.CanaryController.Rollout;

namespace LabNet.CanaryController.Tests.Rollout;

public sealed class CanaryStateMachineTransitionTests
{
    [Fact]
    public void Initializing_tightens_canary_outlier_detection_and_routes_only_header_traffic_to_it()
    {
        var driver = new CanaryDriver();

        var result = driver.Tick();

        Assert.Equal(CanaryPhase.HeaderProbe, result.Status.Phase);
        Assert.Equal(0, result.Status.CanaryWeight);
        Assert.Equal(-1, result.Status.StepIndex);
        Assert.Equal(CanaryDriver.Start, result.Status.AnalysisStartedAt);
        var tighten = Assert.IsType<SetSubsetOutlierDetection>(result.Actions[0]);
        Assert.Equal(("demo", "httpbin-destination", "v2"), (tighten.Namespace, tighten.DestinationRule, tighten.Subset));
        Assert.Equal(OutlierDetectionSettings.Tightened, tighten.Settings);
        var weights = Assert.Single(result.Actions.OfType<SetRouteWeights>());
        Assert.Equal(("httpbin-routing", 100, 0), (weights.VirtualService, weights.Weights.StableWeight, weights.Weights.CanaryWeight));
    }

    [Fact]
    public void Without_header_probe_initializing_goes_straight_to_the_first_step()
    {
        var driver = new CanaryDriver(Fixtures.Spec with { HeaderProbe = new HeaderProbeSpec { Enabled = false } });

        var result = driver.Tick();

        Assert.Equal(CanaryPhase.Progressing, result.Status.Phase);
        Assert.Equal(0, result.Status.StepIndex);
        Assert.Equal(20, Assert.Single(result.Actions.OfType<SetRouteWeights>()).Weights.CanaryWeight);
    }

    [Fact]
    public void Header_probe_holds_until_its_minimum_requests_then_starts_the_ramp()
    {
        var driver = new CanaryDriver();
        driver.Tick();

        var holding = driver.Traffic(240, 0, 30, 0);
        Assert.Equal(CanaryPhase.HeaderProbe, holding.Status.Phase);
        Assert.Equal(DecisionReasons.NotEnoughData, holding.Decision!.Reason);
        Assert.Empty(holding.Actions.OfType<SetRouteWeights>());

        var passed = driver.Traffic(240, 0, 30, 0);
        Assert.Equal(DecisionOutcome.Advance, passed.Decision!.Outcome);
        Assert.Equal(DecisionReasons.HeaderProbePassed, passed.Decision.Reason);
        Assert.Equal(CanaryPhase.Progressing, passed.Status.Phase);
        Assert.Equal(20, Assert.Single(passed.Actions.OfType<SetRouteWeights>()).Weights.CanaryWeight);
    }

    [Fact]
    public void Healthy_canary_walks_20_50_80_and_is_promoted_with_outlier_detection_restored()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();

        for (var tick = 0; tick < 100 && driver.Status.Phase != CanaryPhase.Promoted; tick++)
        {
            driver.Healthy();
        }

        Assert.Equal(CanaryPhase.Promoted, driver.Status.Phase);
        Assert.Equal([0, 20, 50, 80, 100], driver.AllWeightWrites.Select(w => w.CanaryWeight));
        Assert.IsType<RestoreSubsetOutlierDetection>(driver.History[^1].Actions.Single(a => a is RestoreSubsetOutlierDetection));
        var promotion = driver.Status.LastDecision!;
        Assert.Equal(DecisionOutcome.Promote, promotion.Outcome);
        Assert.Contains(driver.Status.Conditions, c => c.Type == CanaryConditionTypes.Complete && c.Status == ConditionStatus.True && c.Reason == DecisionReasons.Promoted);
    }

    [Fact]
    public void Each_step_waits_for_its_minimum_canary_requests()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();

        // 50 canary requests per window at 20%: the step needs 200.
        for (var window = 1; window <= 3; window++)
        {
            var result = driver.Healthy();
            Assert.Equal(DecisionReasons.NotEnoughData, result.Decision!.Reason);
            Assert.Equal(50 * window, result.Status.Counters.StepCanaryRequests);
        }

        var advanced = driver.Healthy();
        Assert.Equal(DecisionReasons.StepPassed, advanced.Decision!.Reason);
        Assert.Equal(50, advanced.Status.CanaryWeight);
        Assert.Equal(0, advanced.Status.Counters.StepCanaryRequests);
        Assert.Equal(20.0, advanced.Decision.Evidence.ObservedCanarySharePercent);
    }

    [Fact]
    public void First_step_holds_until_the_sample_needed_for_the_requested_power_is_reached()
    {
        var driver = new CanaryDriver(Fixtures.Spec); // minimum detectable effect 1 percentage point
        driver.StartRamp();
        for (var i = 0; i < 4; i++)
        {
            driver.Healthy();
        }

        var holding = driver.Healthy();

        Assert.Equal(DecisionReasons.NotEnoughData, holding.Decision!.Reason);
        Assert.Equal(20, holding.Status.CanaryWeight);
        var required = holding.Decision.Evidence.RequiredCanaryRequests!.Value;
        Assert.InRange(required, 800, 2000);
        Assert.Contains("before the canary gets more traffic", holding.Decision.Message);

        while (driver.Status.CanaryWeight == 20)
        {
            driver.Healthy();
        }

        var advance = driver.Status.LastDecision!;
        Assert.Equal(DecisionReasons.StepPassed, advance.Reason);
        Assert.True(advance.Evidence.TotalCanaryRequests >= advance.Evidence.RequiredCanaryRequests);
    }

    [Fact]
    public void Weights_written_always_sum_to_100_and_stay_within_0_and_100()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();
        driver.Healthy();
        driver.Command(CanaryCommand.Pause);
        driver.Command(CanaryCommand.Resume);
        driver.Traffic(200, 0, 50, 20);
        driver.Tick();
        driver.Command(CanaryCommand.RestartAnalysis);
        driver.Command(CanaryCommand.PromoteNow);

        Assert.NotEmpty(driver.AllWeightWrites);
        Assert.All(driver.AllWeightWrites, w =>
        {
            Assert.InRange(w.CanaryWeight, 0, 100);
            Assert.Equal(100, w.CanaryWeight + w.StableWeight);
        });
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void Route_weights_cannot_be_built_outside_0_to_100(int canaryWeight) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RouteWeights("v1", "v2", canaryWeight));

    [Fact]
    public void Terminal_phases_do_nothing_on_traffic()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();
        driver.Command(CanaryCommand.PromoteNow);

        var result = driver.Traffic(0, 0, 250, 100);

        Assert.Equal(CanaryPhase.Promoted, result.Status.Phase);
        Assert.Empty(result.Actions);
        Assert.Null(result.Decision);
    }

    [Fact]
    public void Windows_overlapping_analysed_traffic_are_ignored()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();
        driver.Healthy();
        var before = driver.Status.Counters;

        driver.Clock.Advance(TimeSpan.FromSeconds(5));
        var now = driver.Clock.GetUtcNow();
        var result = driver.Tick(new LabNet.CanaryController.Analysis.TrafficWindow(
            now.AddSeconds(-30),
            now,
            new() { Version = "v1", Requests = 1000, Latency = CanaryDriver.Latencies(1000) },
            new() { Version = "v2", Requests = 1000, Status5xx = 900, Latency = CanaryDriver.Latencies(1000) }));

        Assert.Equal(DecisionReasons.StaleWindow, result.Decision!.Reason);
        Assert.Equal(before, result.Status.Counters);
        Assert.Empty(result.Actions.OfType<SetRouteWeights>());
    }
}
