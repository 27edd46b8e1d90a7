using LabNet.Simulator.Guest.Commands;
using LabNet.Simulator.Host;

namespace LabNet.Simulator.Kubeadm;

/// <summary>A control plane's kube-apiserver listens on 6443 while the cluster's API serves.</summary>
public sealed class ApiServerPort(KubeadmClusters clusters) : IGuestPortListener
{
    public bool Listens(TartVm vm, int port) =>
        port == 6443 && clusters.ByMaster(vm.Name) is { ServingAddress: not null } cluster && cluster.Api.Availability.Serving;
}
