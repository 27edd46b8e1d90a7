using LabNet.Provisioner.Guest;
using LabNet.Provisioner.Helm;
using LabNet.Provisioner.Kubernetes;
using LabNet.Provisioner.Tart;

namespace LabNet.Provisioner.Provisioning;

/// <summary>The boundaries a step may cross: the command-line tools and the cluster's Kubernetes API.</summary>
public sealed record ProvisioningTools(TartCli Tart, SshCli Ssh, HelmCli Helm, KubeconfigStore Kubeconfigs, ClusterApiClients Clusters, TimeProvider Time);
