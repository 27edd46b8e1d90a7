namespace LabNet.CanaryController.Analysis;

/// <summary>The running state of the three sequential tests over one stretch of traffic.</summary>
public sealed record SequentialTests
{
    /// <summary>Canary 5xx rate vs stable's.</summary>
    public SequentialTestState ErrorRate { get; init; } = SequentialTestState.Empty;

    /// <summary>Canary 5xx rate vs the limit 1 - minimum success rate.</summary>
    public SequentialTestState SuccessRate { get; init; } = SequentialTestState.Empty;

    /// <summary>Canary share of requests slower than stable's p99 vs its share of all requests.</summary>
    public SequentialTestState LatencyTail { get; init; } = SequentialTestState.Empty;

    public static SequentialTests Fresh { get; } = new();
}
