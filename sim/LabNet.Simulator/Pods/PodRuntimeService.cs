using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Pods;

/// <summary>
/// Starts the pod runtime and the sidecar injector on every cluster the simulator has (kubeadm creates them at any
/// time) as the cluster is created, and stops them when a cluster goes.
/// </summary>
public sealed class PodRuntimeService(IClusterApiRegistry registry, PodRuntime runtime, ILogger<PodRuntimeService> logger) : ClusterAttachments(registry)
{
    protected override IDisposable Attach(IClusterApi cluster)
    {
        var attached = new Together(cluster.AddAdmissionPlugin(new Mesh.Injection.SidecarInjector()), runtime.Watch(cluster));
        logger.LogInformation("Pod runtime and sidecar injection follow cluster {Cluster}", cluster.Bootstrap.Name);
        return attached;
    }
}
