namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary><c>tart clone</c>, only when the VM does not exist: Tart would silently overwrite it, disk and all.</summary>
public sealed class VmCloneStep(string cluster, string node, string image) : IProvisioningStep
{
    public StepId Id { get; } = new(cluster, node, "vm.clone");

    public string Description => $"clone {image} to {node}";

    public TimeSpan ExpectedDuration => TimeSpan.FromSeconds(3);

    public async Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken) =>
        (await context.Tools.Tart.ListAsync(cancellationToken)).Any(vm => vm.IsLocal && vm.Name == node);

    public Task RunAsync(ClusterContext context, CancellationToken cancellationToken) =>
        context.Tools.Tart.CloneAsync(image, node, cancellationToken);
}
