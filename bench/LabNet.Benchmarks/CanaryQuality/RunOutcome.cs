namespace LabNet.Benchmarks.CanaryQuality;

public enum RunVerdict
{
    Promoted,

    /// <summary>Judged worse and rolled back.</summary>
    RolledBack,

    /// <summary>Stopped without a verdict (deadline), traffic sent to stable.</summary>
    FailedSafe,

    Undecided,
}

/// <summary>How one simulated rollout ended, timed from the canary's fault (its first weighted traffic unless the fault starts later).</summary>
public sealed record RunOutcome(RunVerdict Verdict, double Seconds, string Reason);
