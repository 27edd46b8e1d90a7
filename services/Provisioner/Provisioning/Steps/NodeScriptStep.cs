namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary>
/// A root script run in the VM over ssh (<c>sudo bash -s</c>). It ends by leaving a marker under
/// <c>/var/lib/labnet</c>, which is how the next apply knows it is done (as cloud-init's boot-finished does).
/// </summary>
public sealed class NodeScriptStep(string cluster, string node, string name, string description, TimeSpan expectedDuration, string script)
    : IProvisioningStep
{
    public const string MarkerDirectory = "/var/lib/labnet";

    public StepId Id { get; } = new(cluster, node, name);

    public string Description => description;

    public TimeSpan ExpectedDuration => expectedDuration;

    private string Marker => $"{MarkerDirectory}/{name}.done";

    public async Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var result = await context.Tools.Ssh.RunAsync(context.SshTo(node), $"test -f {Marker}", cancellationToken);
        return result.ExitCode switch
        {
            0 => true,
            1 => false,
            _ => throw new TransientStepException($"Could not check {Marker} on {node}: {result.ErrorSummary}"),
        };
    }

    public async Task RunAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var result = await context.Tools.Ssh.RunAsRootAsync(context.SshTo(node),
            $"set -e\n{script.TrimEnd()}\nmkdir -p {MarkerDirectory}\ntouch {Marker}\n", cancellationToken);

        if (result.Succeeded)
        {
            return;
        }

        // A command the guest does not have will not appear by retrying; anything else (ssh dropping, a mirror
        // timing out) may pass, and the script is safe to rerun from the top.
        var message = $"{description} failed on {node} (exit {result.ExitCode}): {result.ErrorSummary}";
        throw result.ExitCode == 127 ? new PermanentStepException(message) : new TransientStepException(message);
    }
}
