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

    /// <summary>
    /// Follows the clusters: <paramref name="created"/> for every cluster there is now and every one created later,
    /// <paramref name="removed"/> for every one removed, until the result is disposed. Called on the thread that
    /// creates or removes the cluster: keep them quick.
    /// </summary>
    IDisposable Watch(Action<IClusterApi> created, Action<IClusterApi> removed);
}
