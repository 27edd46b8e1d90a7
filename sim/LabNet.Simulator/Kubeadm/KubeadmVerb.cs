using LabNet.Simulator.Guest.Commands;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Kubeadm;

/// <summary>One verb of kubeadm, and what it reaches: the clusters kubeadm made and the simulator's API servers.</summary>
internal abstract class KubeadmVerb(ClusterApiRegistryAccessor registry, KubeadmClusters clusters)
{
    protected IClusterApiRegistry Registry => registry.Registry;

    protected KubeadmClusters Clusters { get; } = clusters;

    /// <summary>Runs the verb with its arguments (after the verb's name).</summary>
    public abstract Task<int> RunAsync(CommandCall call, List<string> args);
}
