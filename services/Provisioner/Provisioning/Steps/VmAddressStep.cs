namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary>
/// Asks Tart for the VM's DHCP address, fresh on every apply (a restarted VM may have a new one). One
/// <c>tart ip --wait</c> replaces the original's 60 polls of 3 s.
/// </summary>
public sealed class VmAddressStep(string cluster, string node) : IProvisioningStep
{
    public const int WaitSeconds = 180;

    public StepId Id { get; } = new(cluster, node, "vm.address");

    public string Description => $"wait for the DHCP address of {node}";

    public TimeSpan ExpectedDuration => TimeSpan.FromSeconds(8);

    /// <summary>Never skipped: it only reads, and every later step needs the current address.</summary>
    public bool ChangesWorld => false;

    public Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken) => Task.FromResult(false);

    public async Task RunAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var address = await context.Tools.Tart.IpAsync(node, WaitSeconds, cancellationToken)
            ?? throw new PermanentStepException(
                $"VM {node} got no IP address within {WaitSeconds} s (tart ip {node} --wait {WaitSeconds}: no IP address found). " +
                "Check that it booted (tart list) and that the DHCP server on the Mac hands out leases.");

        context.RecordAddress(node, address);
    }
}
