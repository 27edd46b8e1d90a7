using LabNet.Benchmarks.CanaryQuality;

namespace LabNet.CanaryController.Tests.Quality;

/// <summary>The baseline must behave as Flagger's docs say, or the comparison means nothing.</summary>
public sealed class FlaggerRuleEmulationTests
{
    private readonly FlaggerPolicySimulation flagger = new();

    [Fact]
    public void Healthy_canary_is_promoted_after_one_passing_check_per_step()
    {
        var outcome = flagger.Run(TrafficScenario.AaHealthy, 1);

        // Weight 20 at t=0, checks at 60 (->50), 120 (->80), 180 (promote); timed from the first weighted second (t=1).
        Assert.Equal((RunVerdict.Promoted, 179.0), (outcome.Verdict, outcome.Seconds));
    }

    [Fact]
    public void Bad_canary_is_rolled_back_only_on_the_tick_after_the_threshold_th_failed_check()
    {
        var outcome = flagger.Run(TrafficScenario.ErrorRegression, 1);

        // Failed checks at 60..300 s, rollback at the 360 s tick: interval x (threshold + 1), minus the routing delay.
        Assert.Equal((RunVerdict.RolledBack, 359.0), (outcome.Verdict, outcome.Seconds));
        Assert.Equal("failedChecks 5 >= threshold 5", outcome.Reason);
    }

    [Fact]
    public void No_traffic_counts_as_failed_checks()
    {
        var outcome = flagger.Run(TrafficScenario.NoTraffic, 1);

        Assert.Equal(RunVerdict.RolledBack, outcome.Verdict);
    }
}
