using LabNet.Provisioner.Spec;

namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary><c>tart set --cpu --memory [--disk-size]</c> to the spec. The disk only ever grows, as Tart allows.</summary>
public sealed class VmSizeStep(string cluster, NodeSpec node) : IProvisioningStep
{
    public StepId Id { get; } = new(cluster, node.Name, "vm.size");

    public string Description => $"size {node.Name} to {node.Cpu} CPU, {node.MemoryMb} MB, {node.DiskGb} GB";

    public TimeSpan ExpectedDuration => TimeSpan.FromSeconds(1);

    public async Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var config = await context.Tools.Tart.GetAsync(node.Name, cancellationToken)
            ?? throw new PermanentStepException($"VM {node.Name} does not exist after its clone step.");
        return config.Cpu == node.Cpu && config.MemoryMb == node.MemoryMb && config.DiskGb >= node.DiskGb;
    }

    public async Task RunAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var config = (await context.Tools.Tart.GetAsync(node.Name, cancellationToken))!;
        if (config.IsRunning)
        {
            throw new PermanentStepException(
                $"VM {node.Name} runs with {config.Cpu} CPU / {config.MemoryMb} MB but the spec asks for {node.Cpu} / {node.MemoryMb}; " +
                $"Tart applies sizes at boot. Stop it (tart stop {node.Name}) and apply again.");
        }

        await context.Tools.Tart.SetAsync(node.Name, node.Cpu, node.MemoryMb, config.DiskGb < node.DiskGb ? node.DiskGb : null, cancellationToken);
    }
}
