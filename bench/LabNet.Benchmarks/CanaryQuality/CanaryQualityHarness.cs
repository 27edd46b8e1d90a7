namespace LabNet.Benchmarks.CanaryQuality;

/// <summary>
/// LabNet's policy and Flagger's rule on the same simulated traffic (same scenarios, same seeds), through the product's
/// path: flows into the FlowCollector's recorder, its summary over HTTP, the controller's client, the analysis. Used by
/// the tests (fixed seeds, assertions) and by
/// <c>dotnet run -c Release --project bench/LabNet.Benchmarks -- canary-quality [runs] [seed]</c> (a printed table).
/// </summary>
public static class CanaryQualityHarness
{
    public const int DefaultRuns = 200;
    public const int DefaultSeed = 20_260_801;

    /// <summary>The table of bench/README.md: each at 50 and 250 requests/s.</summary>
    public static IReadOnlyList<TrafficScenario> Scenarios { get; } =
    [
        TrafficScenario.AaHealthy,
        TrafficScenario.PlusOnePointErrors,
        TrafficScenario.ErrorRegression,
        TrafficScenario.LatencyShift,
        TrafficScenario.LatencyTimesThree,
    ];

    public static IReadOnlyList<ICanaryPolicySimulation> Policies { get; } = [new LabNetPolicySimulation(), new FlaggerPolicySimulation()];

    public static async Task<IReadOnlyList<QualityReport>> CompareAsync(FlowCollectorHosts hosts, int runs = DefaultRuns, int baseSeed = DefaultSeed)
    {
        var reports = new List<QualityReport>();
        foreach (var scenario in Scenarios)
        {
            foreach (var rate in TrafficScenario.Rates)
            {
                foreach (var policy in Policies)
                {
                    reports.Add(await QualityReport.MeasureAsync(policy, scenario.At(rate), runs, baseSeed, hosts));
                }
            }
        }

        return reports;
    }
}
