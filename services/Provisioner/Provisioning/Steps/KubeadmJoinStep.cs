using LabNet.Provisioner.Kubeadm;

namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary>
/// Joins a worker with a fresh one-line join command from <c>kubeadm token create --print-join-command</c>
/// (tokens expire after 24 h, so one from an earlier init cannot be trusted). Skipped once the worker has a kubelet.conf.
/// </summary>
public sealed class KubeadmJoinStep(string cluster, string worker, string master) : IProvisioningStep
{
    public StepId Id { get; } = new(cluster, worker, "kubeadm.join");

    public string Description => $"kubeadm join {worker} to {master}";

    public TimeSpan ExpectedDuration => TimeSpan.FromSeconds(40);

    public async Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var result = await context.Tools.Ssh.RunAsync(context.SshTo(worker), "sudo test -f /etc/kubernetes/kubelet.conf", cancellationToken);
        return result.ExitCode switch
        {
            0 => true,
            1 => false,
            _ => throw new TransientStepException($"Could not check /etc/kubernetes/kubelet.conf on {worker}: {result.ErrorSummary}"),
        };
    }

    public async Task RunAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var token = await context.Tools.Ssh.RunAsync(context.SshTo(master), "sudo kubeadm token create --print-join-command", cancellationToken);
        var join = token.Succeeded ? JoinCommand.Parse(token.StandardOutput) : null;
        if (join is null)
        {
            throw new TransientStepException($"kubeadm token create on {master} gave no join command: {token.ErrorSummary}");
        }

        var result = await context.Tools.Ssh.RunAsRootAsync(context.SshTo(worker), $"""
            set -e
            # Clearing what an earlier attempt left is best effort: what matters is that the join then succeeds.
            kubeadm reset -f || true
            rm -rf /etc/cni/net.d
            {join.ForNode(worker)}
            """, cancellationToken);

        if (!result.Succeeded)
        {
            var message = $"kubeadm join failed on {worker} (exit {result.ExitCode}): {result.ErrorSummary}";
            throw result.StandardError.Contains("[preflight] Some fatal errors occurred", StringComparison.Ordinal)
                ? new PermanentStepException(message)
                : new TransientStepException(message);
        }
    }
}
