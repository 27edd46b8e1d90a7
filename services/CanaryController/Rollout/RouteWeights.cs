namespace LabNet.CanaryController.Rollout;

/// <summary>
/// Weights for the weighted route: integers in [0, 100] that sum to 100, checked at construction so that no code path
/// can write anything else (Istio would accept other sums today, older Istio and tools do not; Argo #4424 shows a
/// negative weight stalling a rollout).
/// </summary>
public sealed record RouteWeights
{
    public RouteWeights(string stableSubset, string canarySubset, int canaryWeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(canaryWeight, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(canaryWeight, 100);
        StableSubset = stableSubset;
        CanarySubset = canarySubset;
        CanaryWeight = canaryWeight;
    }

    public string StableSubset { get; }

    public string CanarySubset { get; }

    public int CanaryWeight { get; }

    public int StableWeight => 100 - CanaryWeight;

    public override string ToString() => $"{StableSubset} {StableWeight} / {CanarySubset} {CanaryWeight}";
}
