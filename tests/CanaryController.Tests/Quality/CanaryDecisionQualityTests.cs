using LabNet.Benchmarks.CanaryQuality;
using LabNet.CanaryController.Resources;
using Xunit.Abstractions;

namespace LabNet.CanaryController.Tests.Quality;

/// <summary>
/// Acceptance line 5 of issue 8, with fixed seeds (the same numbers as the bench report): 200 runs per scenario at
/// 50 requests/s, LabNet's policy and Flagger's rule side by side.
/// </summary>
public sealed class CanaryDecisionQualityTests(ITestOutputHelper output, QualityReportCache cache) : IClassFixture<QualityReportCache>
{
    private const int Runs = CanaryQualityHarness.DefaultRuns;
    private const int Seed = CanaryQualityHarness.DefaultSeed;

    private readonly LabNetPolicySimulation labNet = new();
    private readonly FlaggerPolicySimulation flagger = new();

    private QualityReport Measure(ICanaryPolicySimulation policy, TrafficScenario scenario) => cache.Get(policy, scenario, Runs, Seed);

    [Fact]
    public void Identical_versions_are_falsely_rolled_back_in_at_most_1_percent_of_runs()
    {
        var report = Measure(labNet, TrafficScenario.AaHealthy);
        output.WriteLine(QualityReport.Table([report]));

        Assert.True(report.Count(RunVerdict.RolledBack) <= Runs / 100, $"{report.Count(RunVerdict.RolledBack)} false rollbacks in {Runs}");
        Assert.Equal(Runs - report.Count(RunVerdict.RolledBack), report.Count(RunVerdict.Promoted));
    }

    [Fact]
    public void Five_percent_errors_against_0_1_percent_are_rolled_back_in_99_percent_of_runs_within_30_seconds()
    {
        var report = Measure(labNet, TrafficScenario.ErrorRegression);
        output.WriteLine(QualityReport.Table([report]));

        Assert.True(report.Percent(RunVerdict.RolledBack) >= 99, $"{report.Percent(RunVerdict.RolledBack)}% rolled back");
        Assert.True(report.MedianSeconds(RunVerdict.RolledBack) <= 30, $"median {report.MedianSeconds(RunVerdict.RolledBack)} s");
        Assert.All(report.Runs.Where(r => r.Verdict == RunVerdict.RolledBack), r => Assert.True(r.Seconds <= 60));
    }

    [Fact]
    public void A_canary_that_turns_bad_mid_ramp_is_rolled_back_unless_it_was_promoted_before()
    {
        var report = Measure(labNet, TrafficScenario.ErrorRegressionMidRamp);
        output.WriteLine(QualityReport.Table([report]));

        // Only a fault that begins inside the last analysis window before promotion (or after it) can slip through.
        var interval = HttpbinMesh.Spec.Analysis.Interval.TotalSeconds;
        Assert.DoesNotContain(report.Runs, r => r.Verdict == RunVerdict.Promoted && r.Seconds >= interval);
        Assert.True(report.Percent(RunVerdict.RolledBack) >= 95, $"{report.Percent(RunVerdict.RolledBack)}% rolled back");
        Assert.True(report.MedianSeconds(RunVerdict.RolledBack) <= 30, $"median {report.MedianSeconds(RunVerdict.RolledBack)} s");
    }

    [Fact]
    public void A_300_ms_p99_regression_is_rolled_back()
    {
        var report = Measure(labNet, TrafficScenario.LatencyRegression);
        output.WriteLine(QualityReport.Table([report]));

        Assert.True(report.Percent(RunVerdict.RolledBack) >= 99, $"{report.Percent(RunVerdict.RolledBack)}% rolled back");
        Assert.All(report.Runs.Where(r => r.Verdict == RunVerdict.RolledBack), r =>
            Assert.Contains(r.Reason, new[] { DecisionReasons.LatencyTailAboveStable, DecisionReasons.P99AboveStable, DecisionReasons.P99AboveMaximum }));
    }

    [Fact]
    public void An_increase_of_the_minimum_detectable_effect_is_caught_with_the_requested_power()
    {
        var report = Measure(labNet, TrafficScenario.MinimumDetectableEffect);
        output.WriteLine(QualityReport.Table([report]));

        var power = 100 * (1 - HttpbinMesh.Spec.Test.Beta);
        Assert.True(report.Percent(RunVerdict.RolledBack) >= power, $"{report.Percent(RunVerdict.RolledBack)}% rolled back, power {power}% requested");
    }

    [Fact]
    public void Without_traffic_labnet_fails_safe_where_flagger_rolls_back()
    {
        var ours = QualityReport.Measure(labNet, TrafficScenario.NoTraffic, 3, Seed);
        var theirs = QualityReport.Measure(flagger, TrafficScenario.NoTraffic, 3, Seed);

        Assert.All(ours.Runs, run => Assert.Equal((RunVerdict.FailedSafe, DecisionReasons.NotEnoughDataDeadlineExceeded), (run.Verdict, run.Reason)));
        Assert.All(theirs.Runs, run => Assert.Equal(RunVerdict.RolledBack, run.Verdict));
    }

    [Fact]
    public void Labnet_detects_as_often_as_flaggers_rule_and_much_sooner()
    {
        TrafficScenario[] scenarios = [TrafficScenario.AaHealthy, TrafficScenario.ErrorRegression, TrafficScenario.LatencyRegression, TrafficScenario.MinimumDetectableEffect];
        var reports = (from scenario in scenarios from policy in new ICanaryPolicySimulation[] { labNet, flagger } select Measure(policy, scenario)).ToList();
        output.WriteLine(QualityReport.Table(reports));

        QualityReport Find(TrafficScenario scenario, ICanaryPolicySimulation policy) =>
            reports.Single(r => r.Scenario == scenario.Name && r.Policy == policy.Name);

        var ourErrors = Find(TrafficScenario.ErrorRegression, labNet);
        var theirErrors = Find(TrafficScenario.ErrorRegression, flagger);
        Assert.True(ourErrors.Percent(RunVerdict.RolledBack) >= theirErrors.Percent(RunVerdict.RolledBack));
        Assert.True(ourErrors.MedianSeconds(RunVerdict.RolledBack) * 5 < theirErrors.MedianSeconds(RunVerdict.RolledBack));

        // Flagger's absolute 500 ms p99 limit never sees a 81 -> 381 ms regression; the comparison with stable does.
        Assert.True(Find(TrafficScenario.LatencyRegression, labNet).Percent(RunVerdict.RolledBack) > Find(TrafficScenario.LatencyRegression, flagger).Percent(RunVerdict.RolledBack));
        Assert.True(Find(TrafficScenario.MinimumDetectableEffect, labNet).Percent(RunVerdict.RolledBack) > Find(TrafficScenario.MinimumDetectableEffect, flagger).Percent(RunVerdict.RolledBack));
        Assert.True(Find(TrafficScenario.AaHealthy, labNet).Count(RunVerdict.RolledBack) <= Find(TrafficScenario.AaHealthy, flagger).Count(RunVerdict.RolledBack) + (Runs / 100));
    }
}
