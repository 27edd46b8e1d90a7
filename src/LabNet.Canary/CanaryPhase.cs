using System.Text.Json.Serialization;

namespace LabNet.Canary;

/// <summary>Where a Canary is. Shown by <c>kubectl get canaries</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CanaryPhase>))]
public enum CanaryPhase
{
    Initializing,
    HeaderProbe,
    Progressing,
    Paused,
    Promoted,
    RollingBack,
    RolledBack,
    Failed,
}

public static class CanaryPhaseExtensions
{
    /// <summary>Terminal phases change only on an operator command (restart analysis).</summary>
    public static bool IsTerminal(this CanaryPhase phase) =>
        phase is CanaryPhase.Promoted or CanaryPhase.RolledBack or CanaryPhase.Failed;

    /// <summary>Phases in which the canary takes analysed traffic.</summary>
    public static bool IsAnalysing(this CanaryPhase phase) =>
        phase is CanaryPhase.HeaderProbe or CanaryPhase.Progressing;
}
