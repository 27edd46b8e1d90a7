namespace LabNet.Canary;

/// <summary>
/// The operator commands as the CanaryController's API and the <c>labnet.io/command</c> annotation spell them. Which of
/// them apply in a phase is the controller's rule: each <see cref="CanarySummary"/> lists the ones that apply now.
/// </summary>
public static class CanaryCommandWords
{
    public const string Pause = "pause";
    public const string Resume = "resume";
    public const string Promote = "promote";
    public const string Abort = "abort";
    public const string Restart = "restart";

    public static IReadOnlyList<string> All { get; } = [Pause, Resume, Promote, Abort, Restart];
}
