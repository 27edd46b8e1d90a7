namespace LabNet.Benchmarks.CanaryQuality;

/// <summary>
/// Acceptance line 5 of issue 8: LabNet's policy and Flagger's rule on the same simulated traffic (same scenarios, same
/// seeds), at 50 requests/s. Used by the tests (fixed seeds, assertions) and by
/// <c>dotnet run -c Release --project bench/LabNet.Benchmarks -- canary-quality [runs] [seed]</c> (a printed table).
/// </summary>
public static class CanaryQualityHarness
{
    public const int DefaultRuns = 200;
    public const int DefaultSeed = 20_260_801;

    public static IReadOnlyList<TrafficScenario> Scenarios { get; } =
    [
        TrafficScenario.AaHealthy,
        TrafficScenario.ErrorRegression,
        TrafficScenario.ErrorRegressionMidRamp,
        TrafficScenario.LatencyRegression,
        TrafficScenario.MinimumDetectableEffect,
        TrafficScenario.AaLowTraffic,
        TrafficScenario.NoTraffic,
    ];

    public static IReadOnlyList<QualityReport> Compare(int runs = DefaultRuns, int baseSeed = DefaultSeed, IReadOnlyList<TrafficScenario>? scenarios = null)
    {
        ICanaryPolicySimulation[] policies = [new LabNetPolicySimulation(), new FlaggerPolicySimulation()];
        return
        [
            .. from scenario in scenarios ?? Scenarios
               from policy in policies
               // No traffic is deterministic: a few runs show it.
               select QualityReport.Measure(policy, scenario, scenario.RequestsPerSecond == 0 ? Math.Min(runs, 10) : runs, baseSeed),
        ];
    }
}
