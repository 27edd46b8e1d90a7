namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary>
/// Proves a worker can reach its control plane before kubeadm tries: under Tart's default NAT VMs are isolated, and
/// kubeadm join would only say "couldn't validate the identity of the API Server" minutes later.
/// </summary>
public sealed class ConnectivityProbeStep(string cluster, string worker, string master) : IProvisioningStep
{
    public StepId Id { get; } = new(cluster, worker, "net.probe");

    public string Description => $"check that {worker} reaches {master}";

    public TimeSpan ExpectedDuration => TimeSpan.FromSeconds(3);

    public bool ChangesWorld => false;

    public Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken) => Task.FromResult(false);

    public async Task RunAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var masterAddress = context.AddressOf(master);
        // Three echoes, and any reply proves the path: a bridge that drops one packet is not an isolated network.
        var result = await context.Tools.Ssh.RunAsync(context.SshTo(worker), $"ping -c 3 -W 2 {masterAddress}", cancellationToken);
        if (result.Succeeded)
        {
            return;
        }

        if (result.ExitCode == 255)
        {
            throw new TransientStepException($"ssh to {worker} failed during the connectivity probe: {result.ErrorSummary}");
        }

        throw new PermanentStepException(
            $"{worker} cannot reach {master} at {masterAddress} ({result.ErrorSummary}). The VMs are isolated from each other: " +
            "start them with tart run --net-softnet-allow=0.0.0.0/0 (any narrower allow list keeps vmnet's isolation on).");
    }
}
