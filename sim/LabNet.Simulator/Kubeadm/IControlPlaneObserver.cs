namespace LabNet.Simulator.Kubeadm;

/// <summary>
/// Parts of the twin that react when a cluster's control plane serves (again) at an address: what runs on the nodes
/// and dials the API server at an address of its own configuration (Cilium's agents).
/// </summary>
public interface IControlPlaneObserver
{
    /// <summary>Called before the nodes' readiness is reported, so an observer may take the pod network down.</summary>
    void OnServing(KubeadmCluster cluster, string address);
}
