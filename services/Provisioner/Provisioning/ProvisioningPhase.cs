namespace LabNet.Provisioner.Provisioning;

/// <summary>
/// A phase of a cluster's provisioning (VMs, node preparation, kubeadm, CNI...). Its sequences run in parallel
/// (one per node, or one for the cluster); the steps of a sequence run in order; phases run one after the other.
/// </summary>
public sealed record ProvisioningPhase(string Name, IReadOnlyList<StepSequence> Sequences)
{
    public IEnumerable<IProvisioningStep> Steps => Sequences.SelectMany(s => s.Steps);
}

/// <summary>Steps that run in order on one node (or on the cluster when <see cref="Node"/> is null).</summary>
public sealed record StepSequence(string? Node, IReadOnlyList<IProvisioningStep> Steps);
