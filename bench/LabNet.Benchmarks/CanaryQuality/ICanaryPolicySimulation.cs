namespace LabNet.Benchmarks.CanaryQuality;

/// <summary>A promotion/rollback policy driven through one simulated rollout on a FlowCollector host.</summary>
public interface ICanaryPolicySimulation
{
    string Name { get; }

    Task<RunOutcome> RunAsync(TrafficScenario scenario, int seed, FlowCollectorHost host);
}
