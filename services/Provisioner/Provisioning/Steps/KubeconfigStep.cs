namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary>
/// Copies the control plane's admin.conf to <c>kubeconfig/&lt;cluster&gt;.yaml</c> (mode 0600) without rewriting it,
/// as the original lab does; the file is only written when its content changed.
/// </summary>
public sealed class KubeconfigStep(string cluster, string master) : IProvisioningStep
{
    public StepId Id { get; } = new(cluster, null, "kubeconfig");

    public string Description => $"copy admin.conf of {master} to kubeconfig/{cluster}.yaml";

    public TimeSpan ExpectedDuration => TimeSpan.FromSeconds(1);

    public bool ChangesWorld => false;

    public Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken) => Task.FromResult(false);

    public async Task RunAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var result = await context.Tools.Ssh.RunAsync(context.SshTo(master), "sudo cat /etc/kubernetes/admin.conf", cancellationToken);
        if (!result.Succeeded || !result.StandardOutput.Contains("clusters:", StringComparison.Ordinal))
        {
            throw new TransientStepException($"Could not read /etc/kubernetes/admin.conf on {master}: {result.ErrorSummary}");
        }

        await context.Tools.Kubeconfigs.WriteAsync(cluster, result.StandardOutput, cancellationToken);
    }
}
