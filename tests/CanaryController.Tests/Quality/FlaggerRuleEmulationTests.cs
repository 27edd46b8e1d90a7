using LabNet.Benchmarks.CanaryQuality;

namespace LabNet.CanaryController.Tests.Quality;

/// <summary>The baseline must behave as Flagger's docs say, or the comparison means nothing.</summary>
public sealed class FlaggerRuleEmulationTests(QualityReportCache cache) : IClassFixture<QualityReportCache>
{
    private readonly FlaggerPolicySimulation flagger = new();

    [Fact]
    public async Task Healthy_canary_is_promoted_after_one_passing_check_per_step()
    {
        var outcome = await RunAsync(TrafficScenario.AaHealthy);

        // Weight 20 at t=0, checks at 60 (->50), 120 (->80), 180 (promote); timed from the first weighted second (t=1).
        Assert.Equal((RunVerdict.Promoted, 179.0), (outcome.Verdict, outcome.Seconds));
    }

    [Fact]
    public async Task Bad_canary_is_rolled_back_only_on_the_tick_after_the_threshold_th_failed_check()
    {
        var outcome = await RunAsync(TrafficScenario.ErrorRegression);

        // Failed checks at 60..300 s, rollback at the 360 s tick: interval x (threshold + 1), minus the routing delay.
        Assert.Equal((RunVerdict.RolledBack, 359.0), (outcome.Verdict, outcome.Seconds));
        Assert.Equal("failedChecks 5 >= threshold 5", outcome.Reason);
    }

    [Fact]
    public async Task No_traffic_counts_as_failed_checks()
    {
        var outcome = await RunAsync(TrafficScenario.NoTraffic);

        Assert.Equal(RunVerdict.RolledBack, outcome.Verdict);
    }

    private async Task<RunOutcome> RunAsync(TrafficScenario scenario)
    {
        var host = cache.Hosts.Take();
        try
        {
            return await flagger.RunAsync(scenario, 1, host).WaitAsync(TimeSpan.FromMinutes(2));
        }
        finally
        {
            cache.Hosts.Return(host);
        }
    }
}
