using LabNet.Provisioner.Kubeadm;
using LabNet.Provisioner.Spec;

namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary>
/// <c>kubeadm init</c> on the control plane with the cluster's CIDRs, its current address and no kube-proxy (Cilium
/// replaces it). Skipped when the control plane is already initialised; a retry resets first, so it can rerun.
/// </summary>
public sealed class KubeadmInitStep(ClusterSpec cluster) : IProvisioningStep
{
    public StepId Id { get; } = new(cluster.Name, cluster.Master.Name, "kubeadm.init");

    public string Description => $"kubeadm init on {cluster.Master.Name} (pods {cluster.PodCidr}, services {cluster.ServiceCidr})";

    public TimeSpan ExpectedDuration => TimeSpan.FromSeconds(90);

    /// <summary>
    /// Done when the control plane answers through its admin.conf. The file alone proves nothing: kubeadm writes it
    /// before wait-control-plane, so a failed init leaves it behind.
    /// </summary>
    public async Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var result = await context.Tools.Ssh.RunAsync(context.SshTo(cluster.Master.Name),
            "sudo test -f /etc/kubernetes/admin.conf && sudo kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes", cancellationToken);
        return result.ExitCode switch
        {
            0 => true,
            255 => throw new TransientStepException($"Could not reach {cluster.Master.Name} to check its control plane: {result.ErrorSummary}"),
            _ => false,
        };
    }

    public async Task RunAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var master = cluster.Master.Name;
        var script = $"""
            set -e
            # Clearing what an earlier attempt left is best effort: what matters is that init then succeeds.
            kubeadm reset -f || true
            rm -rf /etc/kubernetes /var/lib/kubelet /var/lib/etcd /etc/cni/net.d
            iptables -F || true
            kubeadm init --pod-network-cidr={cluster.PodCidr} --service-cidr={cluster.ServiceCidr} --skip-phases=addon/kube-proxy --apiserver-advertise-address={context.AddressOf(master)} --node-name={master}
            """;

        var result = await context.Tools.Ssh.RunAsRootAsync(context.SshTo(master), script, cancellationToken);
        if (!result.Succeeded)
        {
            var message = $"kubeadm init failed on {master} (exit {result.ExitCode}): {result.ErrorSummary}";
            throw result.StandardError.Contains("[preflight] Some fatal errors occurred", StringComparison.Ordinal) ||
                  result.StandardOutput.Contains("[preflight] Some fatal errors occurred", StringComparison.Ordinal)
                ? new PermanentStepException(message)
                : new TransientStepException(message);
        }

        context.Join = JoinCommand.Parse(result.StandardOutput);
    }
}
