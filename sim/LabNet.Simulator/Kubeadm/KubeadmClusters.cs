namespace LabNet.Simulator.Kubeadm;

/// <summary>The clusters kubeadm made, by name; the API of each lives in the <see cref="Kubernetes.IClusterApiRegistry"/>.</summary>
public sealed class KubeadmClusters
{
    private readonly Dictionary<string, KubeadmCluster> _clusters = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();

    public IReadOnlyList<KubeadmCluster> All
    {
        get
        {
            lock (_sync)
            {
                return [.. _clusters.Values];
            }
        }
    }

    public void Add(KubeadmCluster cluster)
    {
        lock (_sync)
        {
            _clusters[cluster.Name] = cluster;
        }
    }

    public KubeadmCluster? Find(string name)
    {
        lock (_sync)
        {
            return _clusters.GetValueOrDefault(name);
        }
    }

    public void Remove(string name)
    {
        lock (_sync)
        {
            _clusters.Remove(name);
        }
    }

    /// <summary>The cluster whose control plane runs on this VM.</summary>
    public KubeadmCluster? ByMaster(string vm)
    {
        lock (_sync)
        {
            return _clusters.Values.FirstOrDefault(c => c.MasterVm == vm);
        }
    }

    /// <summary>The cluster a VM is a node of (control plane or worker).</summary>
    public KubeadmCluster? ByNodeVm(string vm)
    {
        lock (_sync)
        {
            return _clusters.Values.FirstOrDefault(c => c.MasterVm == vm || c.NodeVms.ContainsValue(vm));
        }
    }

    /// <summary>The cluster whose API server serves on this address.</summary>
    public KubeadmCluster? ByServingAddress(string address)
    {
        lock (_sync)
        {
            return _clusters.Values.FirstOrDefault(c => c.ServingAddress == address);
        }
    }
}
