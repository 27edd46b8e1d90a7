using LabNet.Provisioner.Spec;

namespace LabNet.Provisioner.Provisioning;

/// <summary>Every phase of one cluster, in order.</summary>
public sealed record ClusterPlan(ClusterSpec Cluster, IReadOnlyList<ProvisioningPhase> Phases)
{
    public IEnumerable<IProvisioningStep> Steps => Phases.SelectMany(p => p.Steps);

    /// <summary>The modelled duration: phases in sequence, each as long as its longest parallel sequence.</summary>
    public TimeSpan ExpectedDuration =>
        Phases.Aggregate(TimeSpan.Zero, (total, phase) => total + phase.Sequences.Select(Duration).DefaultIfEmpty().Max());

    /// <summary>The same steps run one after another, as the original lab's install.sh does.</summary>
    public TimeSpan SequentialDuration => Steps.Aggregate(TimeSpan.Zero, (total, step) => total + step.ExpectedDuration);

    private static TimeSpan Duration(StepSequence sequence) =>
        sequence.Steps.Aggregate(TimeSpan.Zero, (total, step) => total + step.ExpectedDuration);
}
