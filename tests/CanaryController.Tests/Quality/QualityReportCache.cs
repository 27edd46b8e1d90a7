using System.Collections.Concurrent;
using LabNet.Benchmarks.CanaryQuality;

namespace LabNet.CanaryController.Tests.Quality;

/// <summary>Measures each (policy, scenario) pair once per test class: several tests read the same 200 runs.</summary>
public sealed class QualityReportCache
{
    private readonly ConcurrentDictionary<(string Policy, string Scenario), Lazy<QualityReport>> reports = new();

    public QualityReport Get(ICanaryPolicySimulation policy, TrafficScenario scenario, int runs, int seed) =>
        reports.GetOrAdd((policy.Name, scenario.Name), _ => new Lazy<QualityReport>(() => QualityReport.Measure(policy, scenario, runs, seed))).Value;
}
