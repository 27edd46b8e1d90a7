using LabNet.Canary;

namespace LabNet.AppHost.Canary;

/// <summary>
/// One of the CanaryController's commands as a dashboard command: its command name, the word the controller's API takes,
/// and how the dashboard shows it. Whether it applies is the controller's rule: each canary's summary lists the words it
/// takes in its phase (<see cref="CanarySummary.Commands"/>).
/// </summary>
internal sealed record CanaryCommand(string Name, string Word, string DisplayName, string Description, string IconName, string Verb)
{
    public static CanaryCommand Pause { get; } = new("canary-pause", CanaryCommandWords.Pause, "Pause canary",
        "Stop the ramp at the current weight. Analysis goes on, and a canary found worse is still rolled back.",
        "Pause", "pause");

    public static CanaryCommand Resume { get; } = new("canary-resume", CanaryCommandWords.Resume, "Resume canary",
        "Continue the ramp from where it was paused.",
        "Play", "resume");

    public static CanaryCommand Promote { get; } = new("canary-promote", CanaryCommandWords.Promote, "Promote canary now",
        "Send 100% of the traffic to the canary at once, skipping the remaining steps.",
        "ArrowForward", "promote");

    public static CanaryCommand Abort { get; } = new("canary-abort", CanaryCommandWords.Abort, "Abort canary (roll back)",
        "Roll back now: canary weight 0 in the VirtualService and the canary subset ejected quickly.",
        "ArrowUndo", "abort");

    public static CanaryCommand RestartAnalysis { get; } = new("canary-restart-analysis", CanaryCommandWords.Restart, "Restart canary analysis",
        "Forget the analysis and start the rollout again from Initializing (also after Promoted, RolledBack or Failed).",
        "ArrowClockwise", "restart");

    public static IReadOnlyList<CanaryCommand> All { get; } = [Pause, Resume, Promote, Abort, RestartAnalysis];

    /// <summary>Why the controller would not act on it now, e.g. "canary demo/httpbin is Promoted; nothing to pause".</summary>
    public string NotApplicable(CanarySummary canary) =>
        $"canary {canary.Key} is {canary.Phase}; nothing to {Verb} (the controller takes {string.Join(", ", canary.Commands)} now).";
}
