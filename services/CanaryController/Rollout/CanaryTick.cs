using LabNet.Canary;
using LabNet.CanaryController.Analysis;
using LabNet.CanaryController.Mesh;
using LabNet.CanaryController.Resources;

namespace LabNet.CanaryController.Rollout;

/// <summary>Everything one decision looks at.</summary>
/// <param name="Observation">Traffic since <c>status.observedUntil</c>, "metrics unavailable", or null when the tick only carries a command.</param>
/// <param name="OutdatedStatus">Why the status read from the cluster was in a shape this controller no longer reads (its outdated parts left out of <paramref name="Status"/>), or null.</param>
public sealed record CanaryTickInput(
    CanarySpec Spec,
    CanaryStatus Status,
    MeshSnapshot Mesh,
    TrafficObservation? Observation,
    CanaryCommand? Command = null,
    long Generation = 1,
    string? OutdatedStatus = null);

/// <summary>The new status and what to do to the cluster. No actions means no traffic change.</summary>
public sealed record CanaryTickResult(CanaryStatus Status, IReadOnlyList<CanaryAction> Actions, CanaryDecision? Decision);
