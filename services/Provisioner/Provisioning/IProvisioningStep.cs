namespace LabNet.Provisioner.Provisioning;

/// <summary>
/// One converging step: it first asks the world whether its work is already done (so a second apply changes
/// nothing), and only then acts. Steps throw <see cref="TransientStepException"/> for failures worth retrying.
/// </summary>
public interface IProvisioningStep
{
    StepId Id { get; }

    /// <summary>What a person sees in the plan, e.g. "clone ghcr.io/cirruslabs/ubuntu:latest to dev-master".</summary>
    string Description { get; }

    /// <summary>
    /// False for steps that only look (the VM's address, ssh answering, nodes Ready): they run on every apply and in
    /// the plan, because later checks need what they find.
    /// </summary>
    bool ChangesWorld => true;

    /// <summary>How long the step takes on a real Mac, for the plan's estimate before anything runs.</summary>
    TimeSpan ExpectedDuration { get; }

    /// <summary>True when the world already is as the step would leave it. Must not change anything.</summary>
    Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken);

    Task RunAsync(ClusterContext context, CancellationToken cancellationToken);
}
