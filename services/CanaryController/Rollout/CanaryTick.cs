using LabNet.CanaryController.Analysis;
using LabNet.CanaryController.Mesh;
using LabNet.CanaryController.Resources;

namespace LabNet.CanaryController.Rollout;

/// <summary>Everything one decision looks at.</summary>
/// <param name="Observation">Traffic since <c>status.observedUntil</c>, "metrics unavailable", or null when the tick only carries a command.</param>
public sealed record CanaryTickInput(
    CanarySpec Spec,
    CanaryStatus Status,
    MeshSnapshot Mesh,
    TrafficObservation? Observation,
    CanaryCommand? Command = null,
    long Generation = 1);

/// <summary>The new status and what to do to the cluster. No actions means no traffic change.</summary>
public sealed record CanaryTickResult(CanaryStatus Status, IReadOnlyList<CanaryAction> Actions, CanaryDecision? Decision);
