using System.Text.Json.Serialization;

namespace LabNet.Canary;

/// <summary>
/// One decision with the numbers behind it. Stored as <c>status.lastDecision</c> and recorded as a span,
/// so "why did it roll back" is answered by the resource itself.
/// </summary>
public sealed record CanaryDecision(
    DateTimeOffset At,
    DecisionOutcome Outcome,
    string Reason,
    string Message,
    DecisionEvidence Evidence);

[JsonConverter(typeof(JsonStringEnumConverter<DecisionOutcome>))]
public enum DecisionOutcome
{
    /// <summary>Nothing to change yet (not enough data, metrics unavailable, split mismatch, paused).</summary>
    Hold,

    /// <summary>Moved to the next step.</summary>
    Advance,

    Promote,

    /// <summary>The canary is worse: weight 0 now.</summary>
    RollBack,

    /// <summary>A deadline passed without a decision; the configured fail-safe was applied.</summary>
    FailSafe,

    /// <summary>The Canary is invalid; no traffic change.</summary>
    Reject,

    /// <summary>An operator command or a phase change without analysis.</summary>
    Transition,
}

/// <summary>The inputs, statistics and thresholds of a decision. Null where a number did not apply.</summary>
public sealed record DecisionEvidence
{
    public int CanaryWeight { get; init; }

    public long WindowCanaryRequests { get; init; }

    public long WindowCanaryErrors { get; init; }

    public long WindowStableRequests { get; init; }

    public long WindowStableErrors { get; init; }

    public long TotalCanaryRequests { get; init; }

    public long TotalCanaryErrors { get; init; }

    public long TotalStableRequests { get; init; }

    public long TotalStableErrors { get; init; }

    public long StepCanaryRequests { get; init; }

    /// <summary>Canary share of the step's requests, percent, against the written weight.</summary>
    public double? ObservedCanarySharePercent { get; init; }

    public double? AllowedShareDeviationPercent { get; init; }

    /// <summary>Error rate vs stable: the larger e-value (mixture likelihood ratio) of the analysis and step tests, and the rollback threshold.</summary>
    public double? ErrorRateEValue { get; init; }

    public double? ErrorRateThreshold { get; init; }

    /// <summary>Success-rate guard: e-value against "error rate is at most 100 - min success rate".</summary>
    public double? SuccessRateEValue { get; init; }

    public double? SuccessRateThreshold { get; init; }

    public double? CanarySuccessRatePercent { get; init; }

    public double? StableSuccessRatePercent { get; init; }

    /// <summary>Latency tail vs stable: e-value on the canary's share of the requests slower than stable's p99.</summary>
    public double? LatencyTailEValue { get; init; }

    public double? LatencyTailThreshold { get; init; }

    /// <summary>What "slower" meant in this window: the upper bound of the bucket of stable's p99 over the analysis before it.</summary>
    public double? LatencyTailSlowMs { get; init; }

    /// <summary>Requests of both versions slower than that, counted by the latency-tail test over the analysis.</summary>
    public long? LatencyTailSlowRequests { get; init; }

    /// <summary>Canary p99 from its latency histogram merged over the current step.</summary>
    public double? CanaryP99Ms { get; init; }

    /// <summary>Stable p99 from its latency histogram merged over the analysis.</summary>
    public double? StableP99Ms { get; init; }

    public double? P99Ratio { get; init; }

    /// <summary>Requests in the canary's step histogram: the p99 guards judge once it and stable's have <see cref="MinLatencySamples"/>.</summary>
    public long? CanaryLatencySamples { get; init; }

    /// <summary>Requests in stable's histogram over the analysis.</summary>
    public long? StableLatencySamples { get; init; }

    /// <summary>The Canary's <c>guards.minLatencySamples</c>: a step does not pass before both histograms have it.</summary>
    public long? MinLatencySamples { get; init; }

    /// <summary>Canary requests the analysis needs (in its first step) for the requested power against the minimum detectable effect.</summary>
    public long? RequiredCanaryRequests { get; init; }

    /// <summary>At the current canary request rate; null when the rate is zero (no decision will come).</summary>
    public double? ExpectedSecondsToDecision { get; init; }
}
