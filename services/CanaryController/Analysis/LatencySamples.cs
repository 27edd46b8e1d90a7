namespace LabNet.CanaryController.Analysis;

/// <summary>
/// How many requests the p99 guards judge on: the canary's latency histogram over the current step, stable's over the
/// analysis, and what each needs (<c>guards.minLatencySamples</c>). Until both have it the guards cannot judge, so the
/// step may not pass: a slow canary is never promoted because its p99 was never looked at.
/// </summary>
public sealed record LatencySamples(long Canary, long Stable, long Needed)
{
    public bool Enough => Canary >= Needed && Stable >= Needed;

    /// <summary>What is missing, in words, or null when both have enough.</summary>
    public string? Shortfall() => Enough
        ? null
        : $"the p99 guards need {Needed} latency samples of each version: canary {Canary} this step, stable {Stable} in the analysis";
}
