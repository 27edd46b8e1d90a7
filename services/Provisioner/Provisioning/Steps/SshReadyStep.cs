namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary>Waits until sshd in the VM answers (<c>echo ok</c>), as the original does before any guest work.</summary>
public sealed class SshReadyStep(string cluster, string node) : IProvisioningStep
{
    public StepId Id { get; } = new(cluster, node, "vm.ssh");

    public string Description => $"wait for ssh on {node}";

    public TimeSpan ExpectedDuration => TimeSpan.FromSeconds(10);

    public bool ChangesWorld => false;

    public Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken) => Task.FromResult(false);

    public async Task RunAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var result = await context.Tools.Ssh.RunAsync(context.SshTo(node), "echo ok", cancellationToken);
        if (result.Succeeded && result.StandardOutput.Trim() == "ok")
        {
            return;
        }

        // sshpass exits 5 when ssh asked for the password again: it was wrong, and retrying will not fix it.
        if (result.ExitCode == 5 || result.StandardError.Contains("Permission denied", StringComparison.Ordinal))
        {
            throw new PermanentStepException(
                $"ssh to {node} as {context.Lab.SshUser} was refused: {result.ErrorSummary}. Check ssh_user and the ssh password parameter.");
        }

        // sshd hung up after too many offered keys: retrying offers them again.
        if (result.StandardError.Contains("Too many authentication failures", StringComparison.Ordinal))
        {
            throw new PermanentStepException(
                $"ssh to {node} was disconnected before the password was tried: {result.ErrorSummary}. An ssh configuration on this Mac " +
                "(~/.ssh/config or the agent) forces public keys first; remove that for the VMs' addresses or empty the agent (ssh-add -D).");
        }

        throw new TransientStepException($"ssh to {node} ({context.AddressOf(node)}) is not answering yet: {result.ErrorSummary}");
    }
}
