using System.Collections.Concurrent;
using LabNet.Benchmarks.CanaryQuality;

namespace LabNet.CanaryController.Tests.Quality;

/// <summary>
/// FlowCollector hosts for the harness, and each (policy, scenario, rate) measured once per test class: several tests
/// read the same runs.
/// </summary>
public sealed class QualityReportCache : IAsyncLifetime
{
    private readonly ConcurrentDictionary<(string Policy, string Scenario, double Rate, int Runs), Lazy<Task<QualityReport>>> reports = new();
    private FlowCollectorHosts? hosts;

    public FlowCollectorHosts Hosts => hosts ?? throw new InvalidOperationException("The hosts have not started.");

    public Task<QualityReport> GetAsync(ICanaryPolicySimulation policy, TrafficScenario scenario, int runs, int seed) =>
        reports.GetOrAdd((policy.Name, scenario.Name, scenario.RequestsPerSecond, runs), _ => new Lazy<Task<QualityReport>>(() => QualityReport.MeasureAsync(policy, scenario, runs, seed, Hosts))).Value;

    public async ValueTask InitializeAsync() => hosts = await FlowCollectorHosts.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (hosts is not null)
        {
            await hosts.DisposeAsync();
        }
    }
}
