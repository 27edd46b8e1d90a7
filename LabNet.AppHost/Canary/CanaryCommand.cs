namespace LabNet.AppHost.Canary;

/// <summary>
/// One of the CanaryController's commands as a dashboard command: its command name, the word the controller's API takes,
/// and the phases it applies in (the controller's state machine refuses it elsewhere, changing nothing).
/// </summary>
internal sealed record CanaryCommand(string Name, string Word, string DisplayName, string Description, string IconName, string Verb, IReadOnlySet<string> Phases)
{
    private static readonly HashSet<string> Analysing = ["HeaderProbe", "Progressing"];

    public static CanaryCommand Pause { get; } = new("canary-pause", "pause", "Pause canary",
        "Stop the ramp at the current weight. Analysis goes on, and a canary found worse is still rolled back.",
        "Pause", "pause", Analysing);

    public static CanaryCommand Resume { get; } = new("canary-resume", "resume", "Resume canary",
        "Continue the ramp from where it was paused.",
        "Play", "resume", new HashSet<string>(["Paused"]));

    public static CanaryCommand Promote { get; } = new("canary-promote", "promote", "Promote canary now",
        "Send 100% of the traffic to the canary at once, skipping the remaining steps.",
        "ArrowForward", "promote", new HashSet<string>([.. Analysing, "Paused"]));

    public static CanaryCommand Abort { get; } = new("canary-abort", "abort", "Abort canary (roll back)",
        "Roll back now: canary weight 0 in the VirtualService and the canary subset ejected quickly.",
        "ArrowUndo", "abort", new HashSet<string>([.. Analysing, "Paused", "Initializing"]));

    public static CanaryCommand RestartAnalysis { get; } = new("canary-restart-analysis", "restart", "Restart canary analysis",
        "Forget the analysis and start the rollout again from Initializing (also after Promoted, RolledBack or Failed).",
        "ArrowClockwise", "restart", new HashSet<string>(["Initializing", "HeaderProbe", "Progressing", "Paused", "Promoted", "RollingBack", "RolledBack", "Failed"]));

    public static IReadOnlyList<CanaryCommand> All { get; } = [Pause, Resume, Promote, Abort, RestartAnalysis];

    public bool AppliesIn(string phase) => Phases.Contains(phase);

    /// <summary>Why the command cannot run in <paramref name="phase"/>, e.g. "canary demo/httpbin is Promoted; nothing to pause".</summary>
    public string NotApplicable(string canary, string phase) =>
        $"canary {canary} is {phase}; nothing to {Verb} ({Word} applies when it is {string.Join(" or ", Phases)}).";
}
