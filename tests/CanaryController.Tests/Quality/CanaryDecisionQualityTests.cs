using LabNet.Benchmarks.CanaryQuality;
using LabNet.Canary;

namespace LabNet.CanaryController.Tests.Quality;

/// <summary>
/// The decision quality of bench/README.md, with its fixed seeds: 200 runs per scenario at 50 and at 250 requests/s,
/// through the FlowCollector's recorder and summary, the controller's client and the analysis, with the shipped spec.
/// </summary>
public sealed class CanaryDecisionQualityTests(ITestOutputHelper output, QualityReportCache cache) : IClassFixture<QualityReportCache>
{
    private const int Runs = CanaryQualityHarness.DefaultRuns;
    private const int Seed = CanaryQualityHarness.DefaultSeed;

    /// <summary>Flagger's runs are long (a check a minute); the comparison uses fewer of them.</summary>
    private const int ComparisonRuns = 50;

    private static readonly string[] LatencyReasons = [DecisionReasons.LatencyTailAboveStable, DecisionReasons.P99AboveStable, DecisionReasons.P99AboveMaximum];

    private readonly LabNetPolicySimulation labNet = new();
    private readonly FlaggerPolicySimulation flagger = new();

    private async Task<QualityReport> MeasureAsync(ICanaryPolicySimulation policy, TrafficScenario scenario, double rate, int runs = Runs)
    {
        var report = await cache.GetAsync(policy, scenario.At(rate), runs, Seed);
        output.WriteLine(QualityReport.Table([report]));
        return report;
    }

    [Theory]
    [InlineData(50)]
    [InlineData(250)]
    public async Task Identical_versions_are_falsely_rolled_back_in_at_most_1_percent_of_runs(double rate)
    {
        var report = await MeasureAsync(labNet, TrafficScenario.AaHealthy, rate);

        Assert.True(report.Count(RunVerdict.RolledBack) <= Runs / 100, $"{report.Count(RunVerdict.RolledBack)} false rollbacks in {Runs}");
        Assert.Equal(Runs - report.Count(RunVerdict.RolledBack), report.Count(RunVerdict.Promoted));
    }

    /// <summary>The worse canaries of the table, what they must be rolled back for, and how soon (median), if that is part of the promise.</summary>
    public static TheoryData<string, double> WorseCanaries { get; } = new()
    {
        { nameof(TrafficScenario.PlusOnePointErrors), 50 },
        { nameof(TrafficScenario.PlusOnePointErrors), 250 },
        { nameof(TrafficScenario.ErrorRegression), 50 },
        { nameof(TrafficScenario.ErrorRegression), 250 },
        { nameof(TrafficScenario.LatencyShift), 50 },
        { nameof(TrafficScenario.LatencyShift), 250 },
        { nameof(TrafficScenario.LatencyTimesThree), 50 },
        { nameof(TrafficScenario.LatencyTimesThree), 250 },
    };

    [Theory]
    [MemberData(nameof(WorseCanaries))]
    public async Task A_worse_canary_is_rolled_back_for_what_is_worse_in_99_percent_of_runs(string scenarioName, double rate)
    {
        var scenario = (TrafficScenario)typeof(TrafficScenario).GetProperty(scenarioName)!.GetValue(null)!;
        string[] reasons = scenario.CanaryErrorRate > scenario.StableErrorRate ? [DecisionReasons.ErrorRateAboveStable, DecisionReasons.SuccessRateBelowMinimum] : LatencyReasons;

        var report = await MeasureAsync(labNet, scenario, rate);

        Assert.True(report.Percent(RunVerdict.RolledBack) >= 99, $"{report.Percent(RunVerdict.RolledBack)}% rolled back");
        Assert.All(report.Runs.Where(r => r.Verdict == RunVerdict.RolledBack), r => Assert.Contains(r.Reason, reasons));
        if (scenario == TrafficScenario.ErrorRegression)
        {
            // 5 % against 0.1 % is caught within a few windows.
            Assert.True(report.MedianSeconds(RunVerdict.RolledBack) <= 30, $"median {report.MedianSeconds(RunVerdict.RolledBack)} s");
            Assert.All(report.Runs.Where(r => r.Verdict == RunVerdict.RolledBack), r => Assert.True(r.Seconds <= 60));
        }
    }

    [Fact]
    public async Task A_canary_that_turns_bad_mid_ramp_is_rolled_back_unless_it_was_promoted_before()
    {
        var report = await MeasureAsync(labNet, TrafficScenario.ErrorRegressionMidRamp, 50);

        // Only a fault that begins inside the last analysis window before promotion (or after it) can slip through.
        var interval = HttpbinMesh.Spec.Analysis.Interval.TotalSeconds;
        Assert.DoesNotContain(report.Runs, r => r.Verdict == RunVerdict.Promoted && r.Seconds >= interval);
        Assert.True(report.Percent(RunVerdict.RolledBack) >= 95, $"{report.Percent(RunVerdict.RolledBack)}% rolled back");
        Assert.True(report.MedianSeconds(RunVerdict.RolledBack) <= 30, $"median {report.MedianSeconds(RunVerdict.RolledBack)} s");
    }

    [Fact]
    public async Task Without_traffic_labnet_fails_safe_where_flagger_rolls_back()
    {
        var ours = await MeasureAsync(labNet, TrafficScenario.NoTraffic, 0, runs: 3);
        var theirs = await MeasureAsync(flagger, TrafficScenario.NoTraffic, 0, runs: 3);

        Assert.All(ours.Runs, run => Assert.Equal((RunVerdict.FailedSafe, DecisionReasons.NotEnoughDataDeadlineExceeded), (run.Verdict, run.Reason)));
        Assert.All(theirs.Runs, run => Assert.Equal(RunVerdict.RolledBack, run.Verdict));
    }

    [Fact]
    public async Task Labnet_detects_at_least_as_often_as_flaggers_rule_and_much_sooner()
    {
        async Task<(QualityReport Ours, QualityReport Theirs)> Both(TrafficScenario scenario) =>
            (await MeasureAsync(labNet, scenario, 50, ComparisonRuns), await MeasureAsync(flagger, scenario, 50, ComparisonRuns));

        var errors = await Both(TrafficScenario.ErrorRegression);
        Assert.True(errors.Ours.Percent(RunVerdict.RolledBack) >= errors.Theirs.Percent(RunVerdict.RolledBack));
        Assert.True(errors.Ours.MedianSeconds(RunVerdict.RolledBack) * 5 < errors.Theirs.MedianSeconds(RunVerdict.RolledBack));

        // Flagger's absolute 500 ms p99 limit never sees a 81 -> 381 ms regression; the comparison with stable does.
        var latency = await Both(TrafficScenario.LatencyShift);
        Assert.True(latency.Ours.Percent(RunVerdict.RolledBack) > latency.Theirs.Percent(RunVerdict.RolledBack));

        var small = await Both(TrafficScenario.PlusOnePointErrors);
        Assert.True(small.Ours.Percent(RunVerdict.RolledBack) > small.Theirs.Percent(RunVerdict.RolledBack));

        var healthy = await Both(TrafficScenario.AaHealthy);
        Assert.True(healthy.Ours.Count(RunVerdict.RolledBack) <= healthy.Theirs.Count(RunVerdict.RolledBack) + 1);
    }
}
