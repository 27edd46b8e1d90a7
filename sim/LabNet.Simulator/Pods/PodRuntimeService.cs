using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Pods;

/// <summary>
/// Starts the pod runtime and the sidecar injector on every cluster the simulator has (kubeadm creates them at any
/// time) as the cluster is created, and stops them when a cluster goes.
/// </summary>
public sealed class PodRuntimeService(IClusterApiRegistry registry, PodRuntime runtime, ILogger<PodRuntimeService> logger) : IHostedService, IDisposable
{
    private readonly Dictionary<IClusterApi, List<IDisposable>> _attached = new(ReferenceEqualityComparer.Instance);
    private IDisposable? _watch;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _watch = registry.Watch(Attach, Detach);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _watch, null)?.Dispose();
        lock (_attached)
        {
            foreach (var subscriptions in _attached.Values)
            {
                subscriptions.ForEach(d => d.Dispose());
            }

            _attached.Clear();
        }
    }

    private void Attach(IClusterApi cluster)
    {
        lock (_attached)
        {
            _attached[cluster] = [cluster.AddAdmissionPlugin(new Mesh.Injection.SidecarInjector()), runtime.Watch(cluster)];
        }

        logger.LogInformation("Pod runtime and sidecar injection follow cluster {Cluster}", cluster.Bootstrap.Name);
    }

    private void Detach(IClusterApi cluster)
    {
        lock (_attached)
        {
            if (_attached.Remove(cluster, out var subscriptions))
            {
                subscriptions.ForEach(d => d.Dispose());
            }
        }
    }
}
