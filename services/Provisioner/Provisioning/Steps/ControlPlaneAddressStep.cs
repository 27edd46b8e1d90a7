using System.Text.RegularExpressions;
using LabNet.Provisioner.Spec;

namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary>
/// Repairs a control plane whose VM came back from a restart with another DHCP address: its certificates, static pod
/// manifests and kubeconfigs still name the old one, so etcd and the apiserver crash-loop. Done when the apiserver
/// certificate names the current address (or no control plane exists yet). The repair is the original lab's boot.sh,
/// plus what it forgot: the workers' kubelet.conf. Cilium's k8sServiceHost follows in the cilium.install step.
/// </summary>
public sealed partial class ControlPlaneAddressStep(ClusterSpec cluster) : IProvisioningStep
{
    private const string Certificate = "/etc/kubernetes/pki/apiserver.crt";

    public StepId Id { get; } = new(cluster.Name, cluster.Master.Name, "controlplane.address");

    public string Description => $"check that the control plane of {cluster.Name} serves on {cluster.Master.Name}'s current address";

    public TimeSpan ExpectedDuration => TimeSpan.FromSeconds(5);

    public async Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var addresses = await CertificateAddressesAsync(context, cancellationToken);
        return addresses is null || addresses.Contains(context.AddressOf(cluster.Master.Name));
    }

    public async Task RunAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var master = cluster.Master.Name;
        var address = context.AddressOf(master);
        var old = await AdvertisedAddressAsync(context, cancellationToken)
            ?? throw new PermanentStepException($"The kube-apiserver manifest on {master} names no --advertise-address; rebuild the control plane (destroy and apply).");

        var repair = await context.Tools.Ssh.RunAsRootAsync(context.SshTo(master), RepairScript(old, address, cluster.ServiceCidr), cancellationToken);
        if (!repair.Succeeded)
        {
            throw new TransientStepException($"Repairing the control plane of {cluster.Name} on {master} ({old} -> {address}) failed: {repair.ErrorSummary}");
        }

        foreach (var worker in cluster.Workers)
        {
            var result = await context.Tools.Ssh.RunAsRootAsync(context.SshTo(worker.Name), $"""
                if [ -f /etc/kubernetes/kubelet.conf ]; then
                  sed -i 's|https://{old}:6443|https://{address}:6443|' /etc/kubernetes/kubelet.conf
                  systemctl restart kubelet
                fi
                """, cancellationToken);
            if (!result.Succeeded)
            {
                throw new TransientStepException($"Pointing {worker.Name}'s kubelet at {address} failed: {result.ErrorSummary}");
            }
        }
    }

    private async Task<IReadOnlyList<string>?> CertificateAddressesAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var result = await context.Tools.Ssh.RunAsync(context.SshTo(cluster.Master.Name), $"sudo openssl x509 -in {Certificate} -noout -text", cancellationToken);
        if (result.ExitCode == 255)
        {
            throw new TransientStepException($"Could not reach {cluster.Master.Name} to read its apiserver certificate: {result.ErrorSummary}");
        }

        return result.Succeeded ? IpAddress().Matches(result.StandardOutput).Select(m => m.Groups[1].Value).ToList() : null;
    }

    /// <summary>
    /// The address the control plane was set up with: the apiserver manifest's <c>--advertise-address</c> (where a
    /// repair that stopped half way left it, if there). Never guessed from the certificate: on a VM network in 10.x
    /// its SANs cannot tell the node's address from the kubernetes Service's.
    /// </summary>
    private async Task<string?> AdvertisedAddressAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var result = await context.Tools.Ssh.RunAsync(context.SshTo(cluster.Master.Name),
            $"sudo cat /etc/kubernetes/manifests/kube-apiserver.yaml {AsideDirectory}/kube-apiserver.yaml", cancellationToken);
        if (result.ExitCode == 255)
        {
            throw new TransientStepException($"Could not reach {cluster.Master.Name} to read its kube-apiserver manifest: {result.ErrorSummary}");
        }

        return AdvertiseAddress().Match(result.StandardOutput) is { Success: true } match ? match.Groups[1].Value : null;
    }

    private const string AsideDirectory = "/tmp/labnet-manifests";

    // Without --service-cidr the phase would use kubeadm's default 10.96.0.0/12, and the certificate would lose the
    // kubernetes Service's address of this cluster (10.97.0.1 for 10.97.0.0/16): in-cluster clients then fail x509.
    private static string RepairScript(string old, string address, string serviceCidr) => $"""
        set -e
        systemctl stop kubelet
        mkdir -p {AsideDirectory}
        mv /etc/kubernetes/manifests/*.yaml {AsideDirectory}/
        cd /etc/kubernetes/pki
        rm -f apiserver.crt apiserver.key apiserver-etcd-client.crt apiserver-etcd-client.key apiserver-kubelet-client.crt apiserver-kubelet-client.key
        rm -f etcd/server.crt etcd/server.key etcd/peer.crt etcd/peer.key etcd/healthcheck-client.crt etcd/healthcheck-client.key
        rm -f front-proxy-client.crt front-proxy-client.key
        cd /
        kubeadm init phase certs apiserver --apiserver-advertise-address={address} --apiserver-cert-extra-sans={address} --service-cidr={serviceCidr}
        kubeadm init phase certs apiserver-kubelet-client
        kubeadm init phase certs apiserver-etcd-client
        kubeadm init phase certs etcd-server
        kubeadm init phase certs etcd-peer
        kubeadm init phase certs etcd-healthcheck-client
        kubeadm init phase certs front-proxy-client
        rm -f /etc/kubernetes/admin.conf /etc/kubernetes/kubelet.conf /etc/kubernetes/controller-manager.conf /etc/kubernetes/scheduler.conf
        kubeadm init phase kubeconfig admin --apiserver-advertise-address={address}
        kubeadm init phase kubeconfig kubelet --apiserver-advertise-address={address}
        kubeadm init phase kubeconfig controller-manager --apiserver-advertise-address={address}
        kubeadm init phase kubeconfig scheduler --apiserver-advertise-address={address}
        sed -i 's|{old}|{address}|g' {AsideDirectory}/*.yaml
        mv {AsideDirectory}/*.yaml /etc/kubernetes/manifests/
        systemctl start kubelet
        """;

    [GeneratedRegex(@"IP Address:([0-9.]+)")]
    private static partial Regex IpAddress();

    [GeneratedRegex(@"--advertise-address=([0-9.]+)")]
    private static partial Regex AdvertiseAddress();
}
