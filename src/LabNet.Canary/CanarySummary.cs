using System.Text.Json.Serialization;

namespace LabNet.Canary;

/// <summary>
/// One Canary as <c>GET /api/canaries</c> lists it: where it is, its last decision with the numbers behind it, and the
/// <see cref="Commands"/> the controller would act on in this phase (the others it refuses, changing nothing).
/// </summary>
public sealed record CanarySummary(
    string Namespace,
    string Name,
    CanaryPhase Phase,
    int CanaryWeight,
    int StableWeight,
    int StepIndex,
    IReadOnlyList<string> Commands,
    string? PendingCommand,
    string? Error,
    CanaryDecision? LastDecision,
    IReadOnlyList<CanaryCondition> Conditions)
{
    /// <summary>How commands and messages name it: <c>demo/httpbin</c>.</summary>
    [JsonIgnore]
    public string Key => $"{Namespace}/{Name}";

    public bool Accepts(string command) => Commands.Contains(command);
}
