namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary>
/// Boots the VM with <c>tart run --no-graphics --net-softnet-allow=0.0.0.0/0</c> (the only setting that lets VMs
/// reach each other, which kubeadm join needs), then waits until Tart reports it running. A VM that runs but never got
/// a DHCP lease (the original lab's "zombie VM") is not done: it is stopped and booted again.
/// </summary>
public sealed class VmStartStep(string cluster, string node, RunningVms runningVms) : IProvisioningStep
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public StepId Id { get; } = new(cluster, node, "vm.start");

    private async Task<bool> IsRunningAsync(ClusterContext context, CancellationToken cancellationToken) =>
        (await context.Tools.Tart.ListAsync(cancellationToken)).Any(vm => vm.IsLocal && vm.Name == node && vm.IsRunning);

    public string Description => $"start {node} on the softnet segment";

    public TimeSpan ExpectedDuration => TimeSpan.FromSeconds(20);

    /// <summary>How long a running VM may still be waiting for its lease before it counts as a zombie.</summary>
    private const int LeaseGraceSeconds = 30;

    public async Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken) =>
        await IsRunningAsync(context, cancellationToken) && await context.Tools.Tart.IpAsync(node, LeaseGraceSeconds, cancellationToken) is not null;

    public async Task RunAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        if (await IsRunningAsync(context, cancellationToken))
        {
            await context.Tools.Tart.StopAsync(node, timeoutSeconds: 30, cancellationToken);
        }

        var process = runningVms.Start(node, context.Tools.Tart.RunAsync(node));
        var deadline = context.Tools.Time.GetUtcNow() + StartTimeout;

        while (!await IsRunningAsync(context, cancellationToken))
        {
            if (process.IsCompleted)
            {
                var result = await process;
                throw new PermanentStepException($"tart run {node} exited {result.ExitCode} before the VM was running: {result.ErrorSummary}");
            }

            if (context.Tools.Time.GetUtcNow() > deadline)
            {
                throw new TransientStepException($"VM {node} was not running {StartTimeout.TotalSeconds:0} s after tart run.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), context.Tools.Time, cancellationToken);
        }
    }
}
