namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// Every simulated cluster's Kubernetes API. <c>kubeadm init</c> creates one, <c>kubeadm reset</c> on its control plane
/// removes it. The HTTP API server (served at <c>/clusters/&lt;name&gt;</c>) and the rest of the twin share these.
/// </summary>
public interface IClusterApiRegistry
{
    IReadOnlyList<IClusterApi> Clusters { get; }

    /// <summary>Creates the API of a new cluster; fails if one of that name exists.</summary>
    IClusterApi Create(ClusterBootstrap bootstrap);

    IClusterApi? Find(string clusterName);

    bool Remove(string clusterName);
}
