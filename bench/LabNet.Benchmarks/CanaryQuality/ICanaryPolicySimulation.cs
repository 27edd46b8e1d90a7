namespace LabNet.Benchmarks.CanaryQuality;

/// <summary>A promotion/rollback policy driven through one simulated rollout.</summary>
public interface ICanaryPolicySimulation
{
    string Name { get; }

    RunOutcome Run(TrafficScenario scenario, int seed);
}
