using LabNet.Canary;

namespace LabNet.CanaryController.Rollout;

/// <summary>
/// The operator commands' words (<see cref="CanaryCommandWords"/>) and which command applies in which phase: the one rule
/// the state machine follows and the API publishes (<see cref="CanarySummary.Commands"/>), so the dashboard enables
/// exactly what the controller would act on.
/// </summary>
public static class CanaryCommandRules
{
    public static IReadOnlyDictionary<string, CanaryCommand> Words { get; } = new Dictionary<string, CanaryCommand>(StringComparer.Ordinal)
    {
        [CanaryCommandWords.Pause] = CanaryCommand.Pause,
        [CanaryCommandWords.Resume] = CanaryCommand.Resume,
        [CanaryCommandWords.Promote] = CanaryCommand.PromoteNow,
        [CanaryCommandWords.Abort] = CanaryCommand.Abort,
        [CanaryCommandWords.Restart] = CanaryCommand.RestartAnalysis,
    };

    public static string WordOf(CanaryCommand command) => Words.First(word => word.Value == command).Key;

    public static bool AppliesIn(this CanaryCommand command, CanaryPhase phase) => command switch
    {
        CanaryCommand.Pause => phase.IsAnalysing(),
        CanaryCommand.Resume => phase == CanaryPhase.Paused,
        CanaryCommand.PromoteNow => phase.IsAnalysing() || phase == CanaryPhase.Paused,
        CanaryCommand.Abort => phase.IsAnalysing() || phase is CanaryPhase.Paused or CanaryPhase.Initializing,
        CanaryCommand.RestartAnalysis => true,
        _ => false,
    };

    public static IReadOnlyList<CanaryCommand> ApplyingIn(CanaryPhase phase) =>
        [.. Enum.GetValues<CanaryCommand>().Where(command => command.AppliesIn(phase))];
}
