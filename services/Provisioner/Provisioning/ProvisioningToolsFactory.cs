using LabNet.Provisioner.Guest;
using LabNet.Provisioner.Helm;
using LabNet.Provisioner.Kubernetes;
using LabNet.Provisioner.Tart;

namespace LabNet.Provisioner.Provisioning;

public sealed class ProvisioningToolsFactory(TartCli tart, SshCli ssh, HelmCli helm, KubeconfigStore kubeconfigs, ClusterApiClients clusters, TimeProvider time)
{
    public ProvisioningTools Create() => new(tart, ssh, helm, kubeconfigs, clusters, time);
}
