using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Pods;

/// <summary>
/// Starts the pod runtime and the sidecar injector on every cluster the simulator has (kubeadm creates them at any
/// time), and stops them when a cluster goes.
/// </summary>
public sealed class PodRuntimeService(IClusterApiRegistry registry, PodRuntime runtime, TimeProvider time, ILogger<PodRuntimeService> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var attached = new Dictionary<IClusterApi, List<IDisposable>>(ReferenceEqualityComparer.Instance);
        try
        {
            using var timer = new PeriodicTimer(Poll, time);
            do
            {
                var current = registry.Clusters;
                foreach (var cluster in current.Where(c => !attached.ContainsKey(c)))
                {
                    attached[cluster] = [cluster.AddAdmissionPlugin(new Mesh.Injection.SidecarInjector()), runtime.Watch(cluster)];
                    logger.LogInformation("Pod runtime and sidecar injection follow cluster {Cluster}", cluster.Bootstrap.Name);
                }

                foreach (var gone in attached.Keys.Where(c => !current.Contains(c)).ToList())
                {
                    attached[gone].ForEach(d => d.Dispose());
                    attached.Remove(gone);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            foreach (var subscriptions in attached.Values)
            {
                subscriptions.ForEach(d => d.Dispose());
            }
        }
    }
}
