namespace LabNet.CanaryController.Rollout;

/// <summary>Operator commands (dashboard or annotation).</summary>
public enum CanaryCommand
{
    /// <summary>Stop advancing. A canary found worse is still rolled back while paused.</summary>
    Pause,

    Resume,

    /// <summary>Canary to 100 now, skipping the remaining steps.</summary>
    PromoteNow,

    /// <summary>Roll back now (canary weight 0).</summary>
    Abort,

    /// <summary>Forget the analysis and start again from Initializing.</summary>
    RestartAnalysis,
}
